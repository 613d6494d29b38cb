/**
 * What became of a reply to a decision record's consultation. Every reply
 * received while the record was open for comment gets one, so the people who
 * took part hear back, on their own server, whether it counted.
 */
export const OUTCOME_KINDS = ["acknowledged", "informed", "referred", "not-used"] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export const OUTCOME_LABELS: Record<OutcomeKind, string> = {
  acknowledged: "Acknowledged",
  informed: "Informed the decision",
  referred: "Referred",
  "not-used": "Not used",
};

export function isOutcomeKind(value: unknown): value is OutcomeKind {
  return typeof value === "string" && (OUTCOME_KINDS as readonly string[]).includes(value);
}

/** Where a referred reply went: a community here (by handle) or elsewhere, and whether it got there. */
export interface Referral {
  /** As the person typed it, normalised: `team` for a community here, `team@host` or a URL for one elsewhere. */
  target: string;
  /** The community's actor URI, once known. */
  uri: string | null;
  /** Its name, once known. */
  name: string | null;
  /** here: stored at once; sending: being looked up and sent; sent: delivered to its server; failed: could not be found. */
  state: "here" | "sending" | "sent" | "failed";
}

/** One reply's outcome. `kind` is null when it had one that was taken back (its cited reply was uncited). */
export interface InputOutcome {
  decisionId: string;
  /** The reply's id: a note here or a reply from elsewhere. */
  replyUri: string;
  kind: OutcomeKind | null;
  /** How it informed the decision, why it was not used, or what goes with a referral; may be empty when acknowledged. */
  note: string;
  referral: Referral | null;
  /** The public note answering the reply's author; it is updated, never sent twice. */
  answerNoteId: string | null;
  setBy: number | null;
  setAt: Date;
}

/** What another Connexo instance said became of a reply written here. */
export interface OutcomeElsewhere {
  /** The note here that was the reply. */
  postId: string;
  /** The note that answered it, and the document stating the outcome. */
  answerUri: string;
  recordUri: string;
  recordTitle: string;
  kind: OutcomeKind;
  note: string;
  referredTo: { uri: string | null; name: string } | null;
  /** Who answered: the record's community. */
  answeredBy: string;
  updatedAt: Date;
}

/** A reply referred to a community here, from one of this instance's records or from elsewhere. */
export interface ReferredInput {
  id: number;
  communityId: number;
  /** The reply (or post) referred. */
  objectUri: string;
  objectUrl: string | null;
  authorUri: string | null;
  authorName: string | null;
  contentHtml: string;
  note: string;
  /** Who referred it: the community whose record received it. */
  referredByUri: string;
  referredByName: string | null;
  /** The decision record it answered. */
  recordUri: string | null;
  receivedAt: Date;
}

/** The plain words of an answer, for the note that tells a reply's author. */
export function outcomeSentence(
  outcome: { kind: OutcomeKind | null; note: string; referral: Pick<Referral, "target" | "name"> | null },
  recordTitle: string,
): string {
  const title = `“${recordTitle}”`;
  switch (outcome.kind) {
    case "informed":
      return `Thank you: your reply informed the decision record ${title}. How we used it: ${outcome.note}`;
    case "acknowledged":
      return `Thank you: your reply to the decision record ${title} has been read and recorded.${outcome.note ? ` ${outcome.note}` : ""}`;
    case "referred": {
      const where = outcome.referral?.name ?? referralHandle(outcome.referral?.target ?? "");
      return `Thank you: your reply to the decision record ${title} has been referred to ${where}, who can act on it.${outcome.note ? ` ${outcome.note}` : ""}`;
    }
    case "not-used":
      return `Thank you for your reply to the decision record ${title}. It was not used, because: ${outcome.note}`;
    case null:
      return `Your reply to the decision record ${title} is being considered again; you will be told what becomes of it.`;
  }
}

/** A referral target as people write it: `@team`, `@team@host`, or the address as given. */
export function referralHandle(target: string): string {
  return /^https?:\/\//.test(target) ? target : `@${target}`;
}

/** "2026-Q4": the calendar quarter a time falls in, in UTC. */
export function quarterOf(date: Date): string {
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}
