import { type Decision, isFinal, STATUS_LABELS } from "../domain/decisions.ts";
import { conflict, forbidden, invalid, notFound } from "../domain/errors.ts";
import { isAccountAt, normaliseHandle, normaliseRemoteAccount } from "../domain/handle.ts";
import {
  type InputOutcome,
  isOutcomeKind,
  type OutcomeElsewhere,
  type OutcomeKind,
  type ReferredInput,
  referralHandle,
} from "../domain/outcomes.ts";
import { sanitizeRemoteHtml } from "../domain/sanitize.ts";
import type { Actor } from "../domain/types.ts";
import { absoluteUrl, decisionPath, localPostIdOf, notePath } from "../domain/urls.ts";
import type { Store } from "../storage/repositories.ts";
import type { ActorService } from "./actors.ts";
import { type ConsultationReply, consultationInput, withoutOutcome } from "./consultation-input.ts";
import type { DecisionService } from "./decisions.ts";
import type { OutcomeChange } from "./outcome-answers.ts";
import { notify } from "./notify.ts";
import { can } from "./permissions.ts";

/** What a person asks for on a record's page: one outcome for one or several of its replies. */
export interface OutcomeRequest {
  replies: string[];
  kind: string;
  /** How it informed the decision, why it was not used (both required), or a note with an acknowledgement or referral. */
  note?: string;
  /** For a referral: `@team` here, `@team@server` or a community's address elsewhere. */
  referTo?: string;
}

const NOTE_LIMIT = 1_000;
const MAX_AT_ONCE = 200;
/** As many as a record may cite (decision-checks.ts). */
const MAX_CITATIONS = 50;

/** What became of a note written here that answered a decision record, here or on another instance. */
export interface NoteOutcome {
  kind: OutcomeKind;
  note: string;
  /** For a referral, where it went. */
  referredTo: string | null;
  recordUrl: string;
  recordTitle: string;
  /** The note that told its author. */
  answerUrl: string | null;
}

/** What a referral elsewhere needs sent: the community answering, the reply, and the record. */
export interface ReferralToSend {
  community: Actor;
  outcome: InputOutcome;
  record: Decision;
}

/**
 * What becomes of each reply to a consultation: its outcome, set by those
 * who may publish or moderate in the record's community, told to its author
 * by a public note, and referred on to another community here or elsewhere.
 * Also what other instances tell us of our own people's replies, and the
 * replies other communities refer to ours.
 */
export class OutcomeService {
  constructor(
    private readonly store: Store,
    private readonly decisions: DecisionService,
    private readonly actors: ActorService,
    private readonly origin: string,
    private readonly now: () => number,
  ) {}

  /** The record's replies with their outcomes (its input: the replies that answer it). */
  async input(decision: Decision): Promise<ConsultationReply[]> {
    return (await consultationInput(this.store, this.origin, decision)).filter((r) => r.answersRecord);
  }

  /** How many replies received during the consultation still have no outcome. */
  async pendingCount(decision: Decision): Promise<number> {
    return withoutOutcome(await this.input(decision)).length;
  }

  /** Whether this person may set outcomes on this record: they publish or moderate in its community, and it still stands. */
  async maySet(decision: Decision, person: Actor | null): Promise<boolean> {
    if (!person || isFinal(decision.status) || decision.post.state !== "published") return false;
    const role = await this.store.actors.membership(decision.post.communityId!, person.id);
    return can(role, "publish") || can(role, "moderate");
  }

  /**
   * Gives one outcome to one or several of a record's replies. Everything is
   * checked before anything changes, and all of it is stored together.
   */
  async set(decisionId: string, person: Actor, request: OutcomeRequest): Promise<Decision> {
    const decision = await this.decisions.get(decisionId);
    if (!decision || decision.post.state !== "published") throw notFound("There is no such decision record.");
    if (isFinal(decision.status)) throw conflict(`A ${STATUS_LABELS[decision.status].toLowerCase()} record's outcomes cannot be changed.`);
    if (!(await this.maySet(decision, person))) {
      throw forbidden("Only those who publish or moderate in the record's community can set the outcomes of its replies.");
    }
    const input = await this.input(decision);
    const { replies, kind, note, referTo } = await this.check(decision, input, request);
    if (kind === "informed") {
      const cited = new Set([...decision.informedBy.map((i) => i.uri), ...replies.map((r) => r.uri)]);
      if (cited.size > MAX_CITATIONS) {
        throw invalid(`A record may cite at most ${MAX_CITATIONS} posts.`, { replies: `at most ${MAX_CITATIONS} cited in all` });
      }
      return this.decisions.cite(
        decision,
        person,
        replies.map((reply) => ({ reply, note })),
      );
    }
    const changes: OutcomeChange[] = replies.map((reply) => ({ reply, kind, note, ...(referTo ? { referTo } : {}) }));
    return this.decisions.setOutcomes(decision, person, changes);
  }

  private async check(decision: Decision, input: ConsultationReply[], request: OutcomeRequest) {
    const errors: Record<string, string> = {};
    const byUri = new Map(input.map((r) => [r.uri, r]));
    const chosen = [...new Set(request.replies ?? [])];
    const replies = chosen.map((uri) => byUri.get(uri)).filter((r) => r !== undefined);
    if (chosen.length === 0) errors.replies = "choose at least one reply";
    else if (replies.length !== chosen.length) errors.replies = "choose among this record's replies";
    else if (chosen.length > MAX_AT_ONCE) errors.replies = `at most ${MAX_AT_ONCE} at once`;
    const kind = isOutcomeKind(request.kind) ? request.kind : null;
    if (!kind) errors.kind = "choose an outcome";
    const note = (request.note ?? "").trim();
    if (note.length > NOTE_LIMIT) errors.note = `at most ${NOTE_LIMIT} characters`;
    else if (kind === "informed" && !note) errors.note = "say how it informed the decision";
    else if (kind === "not-used" && !note) errors.note = "say why it was not used";
    let referTo: OutcomeChange["referTo"];
    if (kind === "referred") {
      const target = await this.referralTarget(decision, request.referTo ?? "");
      if (typeof target === "string") errors.referTo = target;
      else referTo = target;
    }
    const fields = Object.keys(errors);
    if (fields.length > 0 || !kind) {
      throw invalid(`Check the outcome: ${fields.map((f) => errors[f]).join("; ")}.`, errors);
    }
    return { replies, kind: kind as OutcomeKind, note, referTo };
  }

  /** A community to refer replies to: one here (not the record's own), or one elsewhere by handle or address. A field error otherwise. */
  private async referralTarget(decision: Decision, typed: string): Promise<{ target: string; here: Actor | null } | string> {
    const value = typed.trim();
    if (!value) return "name the community to refer it to";
    const account = normaliseRemoteAccount(value);
    const localHandle =
      !value.slice(1).includes("@") && !/^https?:/.test(value)
        ? normaliseHandle(value)
        : account && isAccountAt(account, this.origin)
          ? this.localHandleOf(account)
          : null;
    if (localHandle !== null) {
      if (!/^[a-z0-9_]{1,30}$/.test(localHandle)) return "give the community's handle (@name@server) or its address (https://…)";
      const community = localHandle ? await this.actors.find(localHandle) : null;
      if (!community || community.kind !== "community")
        return `there is no community @${localHandle} here; for one elsewhere write @name@server`;
      if (community.id === decision.post.communityId) return "choose a community other than the record's own";
      return { target: community.handle, here: community };
    }
    if (!account) return "give the community's handle (@name@server) or its address (https://…)";
    return { target: account.startsWith("@") ? account.slice(1).toLowerCase() : account, here: null };
  }

  /** The local handle an account of this server names: `@team@host` or `https://host/@team`. */
  private localHandleOf(account: string): string {
    if (account.startsWith("@")) return normaliseHandle(account.slice(0, account.lastIndexOf("@")));
    return /^\/@([a-z0-9_]+)$/.exec(new URL(account).pathname)?.[1] ?? "";
  }

  /** A referral elsewhere still to be sent, with what the Announce needs; null when there is none (sent, changed or gone). */
  async referralToSend(decisionId: string, replyUri: string): Promise<ReferralToSend | null> {
    const outcome = await this.store.outcomes.find(decisionId, replyUri);
    if (outcome?.kind !== "referred" || outcome.referral?.state !== "sending") return null;
    const record = await this.decisions.get(decisionId);
    const community = record ? await this.actors.findById(record.post.communityId!) : null;
    return record && community ? { community, outcome, record } : null;
  }

  /** The outbox found the community a reply was referred to (and sent it there), or could not. */
  async referralResolved(outcome: InputOutcome, found: { uri: string; name: string } | null): Promise<void> {
    const target = outcome.referral?.target;
    if (!target) return;
    await this.store.outcomes.setReferral(outcome.decisionId, outcome.replyUri, {
      target,
      uri: found?.uri ?? null,
      name: found?.name ?? null,
      state: found ? "sent" : "failed",
    });
  }

  /** Whether a note here answers a reply with its outcome (one query: the note's links, sent often, need no more). */
  async states(noteId: string): Promise<boolean> {
    return (await this.store.outcomes.byAnswerNote(noteId)) !== null;
  }

  /** The outcome a note here states (when it answers a reply), with the record, for the document other instances read. */
  async answeredBy(noteId: string): Promise<{ outcome: InputOutcome; record: Decision } | null> {
    const outcome = await this.store.outcomes.byAnswerNote(noteId);
    if (!outcome) return null;
    const record = await this.decisions.get(outcome.decisionId);
    return record ? { outcome, record } : null;
  }

  /**
   * Another Connexo instance says what became of a note written here that
   * answered one of its records. Kept only for a note of ours, and only when
   * the record is on the answering community's own server.
   */
  async receiveElsewhere(outcome: OutcomeElsewhere & { replyUri: string }): Promise<boolean> {
    const postId = localPostIdOf(outcome.replyUri, this.origin);
    const post = postId ? await this.store.posts.findById(postId) : null;
    if (!post || post.kind !== "note" || post.state !== "published") return false;
    // Only the record our note answered, told by an actor of that record's own server, says what became of it.
    if (post.inReplyTo !== outcome.recordUri || new URL(outcome.recordUri).origin !== new URL(outcome.answeredBy).origin) return false;
    const { replyUri: _reply, ...kept } = outcome;
    const [before] = await this.store.outcomes.elsewhereFor([post.id]);
    const changed = !before || before.kind !== kept.kind || before.note !== kept.note;
    await this.store.transaction(async (tx) => {
      await tx.outcomes.putElsewhere({ ...kept, postId: post.id });
      // Its author is told when it is new or different, not when the same answer comes again.
      if (!changed) return;
      await notify(tx, {
        recipient: post.authorId,
        kind: "outcome",
        source: `${outcome.answerUri}#outcome-${this.now()}`,
        postId: post.id,
        subjectUri: outcome.recordUri,
        actor: { uri: outcome.answeredBy, name: null },
        details: { title: outcome.recordTitle, outcome: outcome.kind },
        at: new Date(this.now()),
      });
    });
    return true;
  }

  /** What became of a note here as input to a record: told by the record's instance, this one or another. Two or three queries. */
  async outcomeOfNote(post: { id: string; kind: string }): Promise<NoteOutcome | null> {
    if (post.kind !== "note") return null;
    const uri = absoluteUrl(this.origin, notePath(post.id));
    const [elsewhere, here] = await Promise.all([this.store.outcomes.elsewhereFor([post.id]), this.store.outcomes.forReplies([uri])]);
    const told = elsewhere[0];
    if (told) {
      return {
        kind: told.kind,
        note: told.note,
        referredTo: told.referredTo?.name ?? null,
        recordUrl: told.recordUri,
        recordTitle: told.recordTitle,
        answerUrl: told.answerUri,
      };
    }
    const outcome = here.find((o) => o.kind !== null);
    const record = outcome ? await this.store.posts.findById(outcome.decisionId) : null;
    if (!outcome?.kind || !record) return null;
    return {
      kind: outcome.kind,
      note: outcome.note,
      referredTo: outcome.referral ? (outcome.referral.name ?? referralHandle(outcome.referral.target)) : null,
      recordUrl: absoluteUrl(this.origin, decisionPath(record.id)),
      recordTitle: record.title ?? "Decision record",
      answerUrl: outcome.answerNoteId ? absoluteUrl(this.origin, notePath(outcome.answerNoteId)) : null,
    };
  }

  /** The record's instance took back what it said became of a note here (its citation was removed). */
  async forgetElsewhere(replyUri: string, answeredBy: string): Promise<boolean> {
    const postId = localPostIdOf(replyUri, this.origin);
    return postId ? this.store.outcomes.removeElsewhere(postId, answeredBy) : false;
  }

  /** A community elsewhere referred a reply to a community here: filed with it, once. Whether it was new. */
  async receiveReferral(communityHandle: string, input: Omit<ReferredInput, "id" | "communityId" | "receivedAt">): Promise<boolean> {
    const community = await this.actors.find(communityHandle);
    if (!community || community.kind !== "community") return false;
    if (await this.store.communityBlocks.isBlocked(community.id, input.referredByUri)) return false;
    return this.store.outcomes.addReferred({
      ...input,
      contentHtml: sanitizeRemoteHtml(input.contentHtml),
      communityId: community.id,
      receivedAt: new Date(this.now()),
    });
  }
}
