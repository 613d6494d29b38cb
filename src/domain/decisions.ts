import { markdownToText } from "./markdown.ts";
import type { Post } from "./types.ts";
import { formatDay, formatMoment } from "./time-zone.ts";

/**
 * A decision record moves through these states. "closed" is the time between
 * the end of a consultation and the decision: the public can see that their
 * input is being considered, not ignored.
 */
export const DECISION_STATUSES = ["proposed", "open", "closed", "decided", "superseded", "withdrawn"] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

export const STATUS_LABELS: Record<DecisionStatus, string> = {
  proposed: "Proposed",
  open: "Open for comment",
  closed: "Comments closed",
  decided: "Decided",
  superseded: "Superseded",
  withdrawn: "Withdrawn",
};

export function isDecisionStatus(value: string): value is DecisionStatus {
  return (DECISION_STATUSES as readonly string[]).includes(value);
}

/** What a history entry records: the record being made, a move between states, or a change of its text. */
export const DECISION_ACTIONS = ["proposed", "opened", "closed", "decided", "superseded", "withdrawn", "edited", "amended"] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

/** Each move a person may make, the states it may start from, and the state it leads to. */
export const MOVES = {
  open: { from: ["proposed"], to: "open", action: "opened" },
  close: { from: ["open"], to: "closed", action: "closed" },
  decide: { from: ["proposed", "closed"], to: "decided", action: "decided" },
  supersede: { from: ["decided"], to: "superseded", action: "superseded" },
  withdraw: { from: ["proposed", "open", "closed", "decided"], to: "withdrawn", action: "withdrawn" },
} as const satisfies Record<string, { from: readonly DecisionStatus[]; to: DecisionStatus; action: DecisionAction }>;
export type DecisionMove = keyof typeof MOVES;

/** Whether this move may be made from this state. */
export function mayMove(status: DecisionStatus, move: DecisionMove): boolean {
  return (MOVES[move].from as readonly DecisionStatus[]).includes(status);
}

/** Records that are final: no move or edit changes them any more. */
export function isFinal(status: DecisionStatus): boolean {
  return status === "superseded" || status === "withdrawn";
}

export interface DecisionOption {
  title: string;
  description: string;
}

/** A reply or post, here or anywhere, that shaped the decision, and how. */
export interface InformedBy {
  uri: string;
  /** Where a person reads it (may differ from its id). */
  url: string | null;
  note: string;
  /** The author, when known: the actor's URI, and a name to show. */
  authorUri: string | null;
  authorName: string | null;
  /** The local note that told the author their input was used, once sent. */
  acknowledgementId: string | null;
}

/** The structured part of a decision record; the title, community, tags and author are its post's. */
export interface DecisionFields {
  status: DecisionStatus;
  /** What is being decided, in a sentence: the summary while the record is open. */
  question: string;
  context: string;
  options: DecisionOption[];
  decision: string;
  rationale: string;
  consequences: string;
  /** Who decided: local handles ("alice") or remote ones ("bob@other.example"). */
  deciders: string[];
  consultationClosesAt: Date | null;
  decidedAt: Date | null;
  /** The local decision that replaced this one. */
  supersededBy: string | null;
  informedBy: InformedBy[];
  statusChangedAt: Date;
}

export interface Decision extends DecisionFields {
  post: Post;
  /** Local decisions that this one replaced (their supersededBy names this one). */
  supersedes: string[];
}

export interface DecisionHistoryEntry {
  id: number;
  decisionId: string;
  at: Date;
  /** Who made the change; null when the instance did (a consultation reaching its date). */
  actorId: number | null;
  action: DecisionAction;
  fromStatus: DecisionStatus | null;
  toStatus: DecisionStatus;
  reason: string;
  /** The names of the fields that changed. */
  changes: string[];
}

export type NewHistoryEntry = Omit<DecisionHistoryEntry, "id">;

/** What the register can be narrowed to. Dates bound the day the record was proposed. */
export interface DecisionFilter {
  status?: DecisionStatus;
  communityId?: number;
  /** Who proposed it. */
  authorId?: number;
  tag?: string;
  proposedFrom?: Date;
  proposedBefore?: Date;
}

/** "5 December 2026 at 17:00 GMT": a time on a record, in the instance's zone and labelled with it, so readers anywhere can tell. */
export function formatDecisionTime(date: Date, zone: string): string {
  return formatMoment(date, zone);
}

const firstSentences = (text: string, max: number) => {
  const flat = markdownToText(text).replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
};

/**
 * The sentence or two that Mastodon shows under the title: the status, and
 * the decision once made (the question until then). It must stand on its own.
 */
export function decisionSummary(
  record: Pick<DecisionFields, "status" | "question" | "decision" | "consultationClosesAt" | "decidedAt">,
  zone: string,
): string {
  const question = firstSentences(record.question, 300);
  const decision = firstSentences(record.decision, 300);
  switch (record.status) {
    case "proposed":
      return `Proposed decision: ${question}`;
    case "open":
      return `Open for comment until ${formatDecisionTime(record.consultationClosesAt!, zone)}: ${question} Reply to have your say.`;
    case "closed":
      return `Comments closed; a decision is being made: ${question}`;
    case "decided":
      return `Decided${record.decidedAt ? ` on ${formatDay(record.decidedAt, zone)}` : ""}: ${decision}`;
    case "superseded":
      return `Superseded by a later decision. It had decided: ${decision}`;
    case "withdrawn":
      return `Withdrawn: ${question}`;
  }
}

/**
 * A decision record from another Connexo instance, as read from its JSON-LD
 * terms. Text fields are HTML, sanitised on arrival; times are ISO strings.
 */
export interface RemoteDecision {
  status: DecisionStatus;
  question: string;
  contextHtml: string;
  options: { title: string; descriptionHtml: string }[];
  decisionHtml: string;
  rationaleHtml: string;
  consequencesHtml: string;
  deciders: { uri: string | null; name: string }[];
  proposedAt: string | null;
  consultationClosesAt: string | null;
  decidedAt: string | null;
  supersedes: string[];
  supersededBy: string | null;
  informedBy: { uri: string; url: string | null; note: string; authorName: string | null }[];
  history: {
    at: string;
    actorName: string | null;
    action: DecisionAction;
    fromStatus: DecisionStatus | null;
    toStatus: DecisionStatus;
    reason: string;
    changes: string[];
  }[];
}
