import { randomUUID } from "node:crypto";
import {
  decisionSummary,
  isFinal,
  mayMove,
  MOVES,
  STATUS_LABELS,
  type Decision,
  type DecisionAction,
  type DecisionFields,
  type DecisionFilter,
  type InformedBy,
  type DecisionMove,
  type DecisionOption,
  type DecisionStatus,
  type NewHistoryEntry,
} from "../domain/decisions.ts";
import { conflict, DomainError, forbidden, invalid, notFound } from "../domain/errors.ts";
import type { DomainEvent } from "../domain/events.ts";
import { normaliseTags } from "../domain/tags.ts";
import { absoluteUrl, actorPath, decisionPath, notePath } from "../domain/urls.ts";
import type { Actor, Post, Reply } from "../domain/types.ts";
import type { DecisionChange, Store } from "../storage/repositories.ts";
import type { ActorService } from "./actors.ts";
import type { Clock } from "../domain/clock.ts";
import type { ConsultationReply } from "./consultation-input.ts";
import { citationOutcomes, requireOutcomes } from "./decision-outcomes.ts";
import { applyOutcomes, type OutcomeChange } from "./outcome-answers.ts";
import {
  changedFields,
  checkClosingTime,
  checkDeciders,
  checkInputs,
  checkOptions,
  checkReason,
  LIMITS,
  localDecisionId,
  optionalText,
  type CitableReply,
} from "./decision-checks.ts";
import { checkFieldsAsync, requireText } from "./field-checks.ts";
import { readTimeZone } from "./instance-settings.ts";
import { actorsById } from "./names.ts";
import { newPost } from "./new-post.ts";
import { can, mayChangePost } from "./permissions.ts";

export type { CitableReply } from "./decision-checks.ts";

/** What an author writes: the record's text. Moves between states are separate calls. */
export interface DecisionText {
  title: string;
  question: string;
  context: string;
  options?: DecisionOption[];
  tags?: string | string[];
  decision?: string;
  rationale?: string;
  consequences?: string;
  /** "@alice, @bob@other.example": local people or people elsewhere. */
  deciders?: string | string[];
  informedBy?: { uri: string; note: string }[];
}

export interface DecideInput {
  decision: string;
  rationale: string;
  consequences?: string;
  deciders: string | string[];
  informedBy?: { uri: string; note: string }[];
  reason?: string;
}

const changedMeanwhile = () => conflict("Someone else changed this record meanwhile. Look at it again, then make your change.");

/**
 * Decision records: proposing, editing and amending them, and moving them
 * through their states. Every change is kept as a history entry and
 * federates as an Update; citing a reply tells its author.
 */
export class DecisionService {
  constructor(
    private readonly store: Store,
    private readonly actors: ActorService,
    /** The instance's public origin, for the links in the notes sent to people whose input was used. */
    private readonly origin: string,
    private readonly now: Clock,
  ) {}

  /**
   * Records a proposed decision in a community the author may publish in. It
   * is public (and federates) at once; as a draft, only its author sees it
   * (in their drafts) until they propose it.
   */
  async propose(communityHandle: string, author: Actor, text: DecisionText, options: { draft?: boolean } = {}): Promise<Decision> {
    const community = await this.actors.require(communityHandle, "community");
    await this.requirePublisher(community.id, author, community.handle);
    const now = new Date(this.now());
    const id = randomUUID();
    const checked = await this.checkText(text, null);
    const draft = options.draft === true;
    const fields: DecisionFields = {
      status: "proposed",
      ...recordText(checked),
      consultationClosesAt: null,
      decidedAt: null,
      supersededBy: null,
      statusChangedAt: now,
    };
    // The record's text is in its fields; pages and the Article render it from there.
    const post = newPost(
      {
        id,
        kind: "decision",
        authorId: author.id,
        communityId: community.id,
        title: checked.title,
        summary: decisionSummary(fields, await readTimeZone(this.store)),
        bodyMarkdown: "",
        contentHtml: "",
        tags: checked.tags,
        state: draft ? "draft" : "published",
      },
      now,
    );
    await this.store.decisions.insert({
      post,
      fields,
      // A draft has no history yet and tells no one: both begin when it is proposed.
      history: draft ? null : proposedEntry(id, author, now),
      events: draft ? [] : [{ type: "post.published", postId: id }],
    });
    return (await this.store.decisions.find(id))!;
  }

  /** Saves a draft's new text; it stays a draft, seen by no one else and sent nowhere. */
  async saveDraft(id: string, author: Actor, text: DecisionText): Promise<Decision> {
    const current = await this.requireOwnDraft(id, author);
    return this.storeDraft(current, text, "draft");
  }

  /** Proposes a draft with its latest text: from now on it is public, in the registers, and federates. */
  async proposeDraft(id: string, author: Actor, text: DecisionText): Promise<Decision> {
    const current = await this.requireOwnDraft(id, author);
    const community = await this.store.actors.findById(current.post.communityId!);
    await this.requirePublisher(current.post.communityId!, author, community?.handle ?? "this community");
    return this.storeDraft(current, text, "published");
  }

  /** One's own draft decision record, to edit, propose or delete. */
  draft(id: string, author: Actor): Promise<Decision> {
    return this.requireOwnDraft(id, author);
  }

  /** Deletes one's own draft. It was never published, so no one else is told. */
  async deleteDraft(id: string, author: Actor): Promise<void> {
    const current = await this.requireOwnDraft(id, author);
    const { post, supersedes: _supersedes, ...fields } = current;
    const deleted: Post = { ...post, state: "deleted", deletedAt: new Date(this.now()), version: post.version + 1 };
    if (!(await this.store.decisions.save({ post: deleted, fields, history: null, events: [] }, post.version))) throw changedMeanwhile();
  }

  /** A draft of the decision records only its author sees. */
  private async requireOwnDraft(id: string, author: Actor): Promise<Decision> {
    const decision = await this.store.decisions.find(id);
    if (!decision || decision.post.state !== "draft" || decision.post.authorId !== author.id) {
      throw notFound("There is no such draft decision record.");
    }
    return decision;
  }

  private async storeDraft(current: Decision, text: DecisionText, state: "draft" | "published"): Promise<Decision> {
    const checked = await this.checkText(text, current);
    const now = new Date(this.now());
    const { post: currentPost, supersedes: _supersedes, ...currentFields } = current;
    const proposing = state === "published";
    const fields: DecisionFields = { ...currentFields, ...recordText(checked), statusChangedAt: proposing ? now : current.statusChangedAt };
    const post: Post = {
      ...currentPost,
      title: checked.title,
      tags: checked.tags,
      summary: decisionSummary(fields, await readTimeZone(this.store)),
      state,
      // Proposed today: the register dates it by when it became public, not when the draft began.
      publishedAt: proposing ? now : null,
      version: currentPost.version + 1,
    };
    const saved = await this.store.decisions.save(
      {
        post,
        fields,
        history: proposing ? proposedEntry(post.id, { id: currentPost.authorId }, now) : null,
        events: proposing ? [{ type: "post.published", postId: post.id }] : [],
      },
      currentPost.version,
    );
    if (!saved) throw changedMeanwhile();
    return (await this.store.decisions.find(post.id))!;
  }

  /**
   * Changes the record's text. Before the decision, its proposer or the
   * community's facilitators and administrators edit it; a decided record is
   * amended, and only with a reason; a superseded or withdrawn one stays as it is.
   */
  async edit(id: string, editor: Actor, text: DecisionText, reason?: string, readVersion?: number): Promise<Decision> {
    const current = await this.requireChangeable(id, editor);
    if (isFinal(current.status)) throw conflict(`A ${STATUS_LABELS[current.status].toLowerCase()} record cannot be changed.`);
    // A form carries the version it showed: saving over a change made meanwhile would silently undo it.
    if (readVersion !== undefined && readVersion !== current.post.version) throw changedMeanwhile();
    const amending = current.status === "decided";
    const { reason: why, ...checked } = await this.checkText(text, current, {
      reason: () => checkReason(reason, amending ? "Say why the decided record is amended: the reason is shown in its history." : null),
    });
    const after = { ...current, ...checked };
    const changes = changedFields(current, after);
    if (changes.length === 0) throw invalid("Nothing has changed.");
    return this.commit(current, editor, amending ? "amended" : "edited", current.status, why, changes, recordText(checked), {
      title: checked.title,
      tags: checked.tags,
    });
  }

  /** Opens the record for comment until a time; it closes by itself then (the event waits in the durable queue). */
  async open(id: string, actor: Actor, input: { closesAt: Date | null; reason?: string }): Promise<Decision> {
    const current = await this.requireChangeable(id, actor);
    this.requireMove(current, "open");
    const { closesAt, reason } = await checkFieldsAsync({
      closesAt: () => checkClosingTime(input.closesAt, this.now()),
      reason: () => checkReason(input.reason, null),
    });
    return this.commit(current, actor, "opened", "open", reason, [], { consultationClosesAt: closesAt }, {}, [
      { type: "decision.consultation-due", decisionId: id, closesAt: closesAt.getTime() },
    ]);
  }

  /** Closes a consultation by hand. Before its time that needs a reason, which readers see. */
  /** Whether closing the consultation now would close it before its date (and so needs a reason). */
  closesEarly(decision: Decision): boolean {
    return decision.consultationClosesAt !== null && decision.consultationClosesAt.getTime() > this.now();
  }

  async close(id: string, actor: Actor, input: { reason?: string }): Promise<Decision> {
    const current = await this.requireChangeable(id, actor);
    this.requireMove(current, "close");
    const early = this.closesEarly(current);
    const reason = checkReason(input.reason, early ? "Say why the consultation closes before its date." : null);
    return this.commit(current, actor, "closed", "closed", reason, [], early ? { consultationClosesAt: new Date(this.now()) } : {});
  }

  /**
   * Closes the consultation when its time has come: the instance does it, so
   * the history shows no person. A stale event (the record moved on, or its
   * closing time changed) does nothing. Returns whether it closed.
   */
  async closeIfDue(id: string, closesAt: number): Promise<boolean> {
    const current = await this.store.decisions.find(id);
    if (!current || current.status !== "open" || current.consultationClosesAt?.getTime() !== closesAt) return false;
    if (closesAt > this.now()) return false;
    await this.commit(current, null, "closed", "closed", "The consultation reached its closing time.", [], {});
    return true;
  }

  /** Records the decision: what was decided, why, who decided, and the input that informed it. */
  async decide(id: string, actor: Actor, input: DecideInput): Promise<Decision> {
    const current = await this.requireChangeable(id, actor);
    if (current.status === "open") {
      throw conflict("The consultation is still open: close it before recording the decision, so everyone can see comments have ended.");
    }
    this.requireMove(current, "decide");
    const { deciders, informedBy, ...values } = await checkFieldsAsync({
      decision: () => requireText(input.decision, "decision", "The decision", LIMITS.text),
      rationale: () => requireText(input.rationale, "rationale", "The rationale", LIMITS.text),
      consequences: () => optionalText(input.consequences, "consequences", "The consequences"),
      deciders: () => checkDeciders(input.deciders, true, this.findLocal),
      informedBy: () => this.checkCitations(input.informedBy ?? current.informedBy, current),
      reason: () => checkReason(input.reason, null),
    });
    await requireOutcomes(this.store, this.origin, current, informedBy, values.reason);
    const changes = changedFields(current, { ...current, ...values, deciders, informedBy });
    return this.commit(current, actor, "decided", "decided", values.reason, changes, {
      decision: values.decision,
      rationale: values.rationale,
      consequences: values.consequences,
      deciders,
      informedBy,
      decidedAt: new Date(this.now()),
    });
  }

  /**
   * Marks a decided record as replaced by a later one on this instance, named
   * by its id or its address. The replacement must still stand: not
   * withdrawn, and not itself replaced (so two records never replace each other).
   */
  async supersede(id: string, actor: Actor, input: { by: string; reason?: string }): Promise<Decision> {
    const current = await this.requireChangeable(id, actor);
    this.requireMove(current, "supersede");
    const byId = localDecisionId(input.by ?? "", this.origin);
    const replacement = byId && byId !== id ? await this.store.decisions.find(byId) : null;
    if (!replacement || replacement.post.state !== "published" || isFinal(replacement.status)) {
      throw invalid("Choose the decision record that replaces this one.", {
        by: "choose a standing record on this instance, other than this one",
      });
    }
    const reason = checkReason(input.reason, null);
    return this.commit(current, actor, "superseded", "superseded", reason, ["superseded by"], { supersededBy: replacement.post.id });
  }

  /** Withdraws the record; the reason is required and shown. */
  async withdraw(id: string, actor: Actor, input: { reason?: string }): Promise<Decision> {
    const current = await this.requireChangeable(id, actor);
    this.requireMove(current, "withdraw");
    const reason = checkReason(input.reason, "Say why the record is withdrawn.");
    return this.commit(current, actor, "withdrawn", "withdrawn", reason, [], {});
  }

  get(id: string): Promise<Decision | null> {
    return this.store.decisions.find(id);
  }

  history(id: string) {
    return this.store.decisions.history(id);
  }

  /** The register: records matching the filter, a page at a time, with the number in each status. */
  async register(filter: DecisionFilter, page = 1, perPage = 20) {
    const offset = (Math.max(1, page) - 1) * perPage;
    const [items, counts] = await Promise.all([
      this.store.decisions.list(filter, perPage + 1, offset),
      this.store.decisions.countByStatus(filter),
    ]);
    return { items: items.slice(0, perPage), hasMore: items.length > perPage, counts };
  }

  /** Whether this person may move and edit this record. */
  async mayChange(id: string, person: Actor | null): Promise<boolean> {
    if (!person) return false;
    try {
      await this.requireChangeable(id, person);
      return true;
    } catch (error) {
      if (error instanceof DomainError && (error.code === "forbidden" || error.code === "not_found")) return false;
      throw error;
    }
  }

  /** The replies the record received (remote ones, and local people's notes), which it may cite. */
  async citableReplies(id: string): Promise<CitableReply[]> {
    const url = this.urlOf(id);
    const [remote, local] = await Promise.all([
      this.store.interactions.replies(id, ["visible"]),
      this.store.posts.listNotesReplyingTo([url]),
    ]);
    const authors = await actorsById(
      this.store,
      local.map((note) => note.authorId),
    );
    return [
      ...remote.map((r: Reply) => ({
        uri: r.uri,
        url: r.url,
        authorName: r.author?.name ?? r.author?.handle ?? "someone elsewhere",
        authorUri: r.author?.uri ?? null,
        contentHtml: r.contentHtml,
        publishedAt: r.publishedAt,
      })),
      ...local.map((note) => {
        const author = authors.get(note.authorId);
        return {
          uri: absoluteUrl(this.origin, notePath(note.id)),
          url: absoluteUrl(this.origin, notePath(note.id)),
          authorName: author?.displayName ?? "someone here",
          authorUri: author ? absoluteUrl(this.origin, actorPath(author.handle)) : null,
          contentHtml: note.contentHtml,
          publishedAt: note.publishedAt ?? note.createdAt,
        };
      }),
    ].sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
  }

  /**
   * Stores one change: the new fields, the summary that states them, a
   * history entry and the Update, all or nothing. If someone else changed
   * the record meanwhile, nothing is stored and the person is asked to look again.
   */
  private async commit(
    current: Decision,
    actor: Actor | null,
    action: DecisionAction,
    status: DecisionStatus,
    reason: string,
    changes: string[],
    fieldChanges: Partial<DecisionFields>,
    postChanges: Partial<Pick<Post, "title" | "tags">> = {},
    extraEvents: DomainEvent[] = [],
    explicitOutcomes: OutcomeChange[] = [],
  ): Promise<Decision> {
    const now = new Date(this.now());
    const statusChanged = status !== current.status;
    const { post: currentPost, supersedes: _supersedes, ...currentFields } = current;
    const fields: DecisionFields = {
      ...currentFields,
      ...fieldChanges,
      status,
      statusChangedAt: statusChanged ? now : current.statusChangedAt,
    };
    const post: Post = {
      ...currentPost,
      ...postChanges,
      summary: decisionSummary(fields, await readTimeZone(this.store)),
      updatedAt: now,
      version: currentPost.version + 1,
    };
    const community = await this.store.actors.findById(post.communityId!);
    const outcomeChanges = community ? await citationOutcomes(this.store, this.origin, current, fields.informedBy, explicitOutcomes) : [];
    const change: DecisionChange = {
      post,
      fields,
      history: {
        decisionId: post.id,
        at: now,
        actorId: actor?.id ?? null,
        action,
        fromStatus: current.status,
        toStatus: status,
        reason,
        changes,
      },
      events: [{ type: "post.updated", postId: post.id, version: post.version }, ...extraEvents],
    };
    await this.store.transaction(async (tx) => {
      // Held from the start, so the outcomes read below are not changed alongside.
      if (!(await tx.decisions.holdAt(post.id, currentPost.version))) throw changedMeanwhile();
      if (community && outcomeChanges.length > 0) {
        const record = { post, url: this.urlOf(post.id), community };
        const answers = await applyOutcomes(tx, record, outcomeChanges, actor?.id ?? null, now);
        // Each cited reply names the note that told its author.
        fields.informedBy = fields.informedBy.map((i) => ({ ...i, acknowledgementId: answers.get(i.uri) ?? i.acknowledgementId }));
      }
      if (!(await tx.decisions.save(change, currentPost.version))) throw changedMeanwhile();
    });
    return (await this.store.decisions.find(post.id))!;
  }

  /**
   * Gives replies outcomes other than "informed the decision" (which is a
   * citation): those among them the record cites stop being cited, in the
   * same change. Called by the outcomes service, which has checked them.
   */
  async setOutcomes(current: Decision, actor: Actor, changes: OutcomeChange[]): Promise<Decision> {
    const changing = new Set(changes.map((c) => c.reply.uri));
    const informedBy = current.informedBy.filter((i) => !changing.has(i.uri));
    return this.recordCitations(current, actor, informedBy, changes);
  }

  /** Cites replies as having informed the record, each with how (or changes how). */
  async cite(current: Decision, actor: Actor, citations: { reply: ConsultationReply; note: string }[]): Promise<Decision> {
    const cited = new Map(citations.map((c) => [c.reply.uri, c]));
    const kept = current.informedBy.map((i) => {
      const now = cited.get(i.uri);
      return now ? { ...i, note: now.note } : i;
    });
    const added = citations
      .filter((c) => !current.informedBy.some((i) => i.uri === c.reply.uri))
      .map((c) => ({
        uri: c.reply.uri,
        url: c.reply.url,
        note: c.note,
        authorUri: c.reply.author?.uri ?? null,
        authorName: c.reply.author?.name ?? null,
        acknowledgementId: null,
      }));
    return this.recordCitations(current, actor, [...kept, ...added], []);
  }

  /**
   * A change of outcomes stored with the record: a history entry when its
   * citations change (a decided record's amendment says why by itself), and
   * the answers to the replies' authors. Outcomes alone change no history.
   */
  private async recordCitations(current: Decision, actor: Actor, informedBy: InformedBy[], changes: OutcomeChange[]) {
    const cited = changedFields(current, { ...current, informedBy });
    if (cited.length === 0) {
      const community = await this.actors.findById(current.post.communityId!);
      if (!community) throw notFound("There is no such decision record.");
      const record = { post: current.post, url: this.urlOf(current.post.id), community };
      await this.store.transaction(async (tx) => {
        // Against a change of the record's citations made alongside: one waits for the other, and the later one looks again.
        if (!(await tx.decisions.holdAt(current.post.id, current.post.version))) throw changedMeanwhile();
        await applyOutcomes(tx, record, changes, actor.id, new Date(this.now()));
      });
      return (await this.store.decisions.find(current.post.id))!;
    }
    const amending = current.status === "decided";
    const reason = amending ? "The outcomes of replies to the consultation were set." : "";
    return this.commit(current, actor, amending ? "amended" : "edited", current.status, reason, cited, { informedBy }, {}, [], changes);
  }

  /** What informed the record: replies it received keep their authors (looked up only when something is cited). */
  private async checkCitations(inputs: { uri: string; note: string }[], current: Decision | null) {
    const citable = current && inputs.length > 0 ? await this.citableReplies(current.post.id) : [];
    return checkInputs(inputs, current?.informedBy ?? [], citable);
  }

  private urlOf(id: string): string {
    return absoluteUrl(this.origin, decisionPath(id));
  }

  private readonly findLocal = (handle: string) => this.store.actors.findByHandle(handle);

  private async requirePublisher(communityId: number, person: Actor, communityHandle: string) {
    const role = await this.store.actors.membership(communityId, person.id);
    if (!can(role, "publish")) throw forbidden(`@${person.handle} may not record decisions for @${communityHandle}.`);
  }

  /**
   * The record, if this person may change it: the member who proposed it,
   * while they may publish in its community, or any facilitator or
   * administrator there (the rule for every post, mayChangePost). Otherwise
   * not found, or forbidden saying who may.
   */
  async requireChangeable(id: string, person: Actor): Promise<Decision> {
    const decision = await this.store.decisions.find(id);
    if (!decision || decision.post.state !== "published") throw notFound("There is no such decision record.");
    const community = await this.store.actors.findById(decision.post.communityId!);
    const handle = community?.handle ?? "this community";
    const role = await this.store.actors.membership(decision.post.communityId!, person.id);
    if (!can(role, "publish")) throw forbidden(`@${person.handle} may not record decisions for @${handle}.`);
    if (!mayChangePost(role, decision.post, person)) {
      throw forbidden(`Only the member who proposed this record, or a facilitator or administrator of @${handle}, can change it.`);
    }
    return decision;
  }

  private requireMove(current: Decision, move: DecisionMove) {
    if (mayMove(current.status, move)) return;
    const allowed = MOVES[move].from.map((s) => STATUS_LABELS[s].toLowerCase()).join(" or ");
    throw conflict(`This record is ${STATUS_LABELS[current.status].toLowerCase()}; it can be ${MOVES[move].action} only when ${allowed}.`);
  }

  /**
   * Checks every field of the text at once (and any extra checks), so a form
   * shows every problem together. `current` is the record as it stands, or
   * null for a new one (which has no replies to cite yet).
   */
  private async checkText<E extends Record<string, unknown>>(
    text: DecisionText,
    current: Decision | null,
    extra: { [K in keyof E]: () => E[K] | Promise<E[K]> } = {} as { [K in keyof E]: () => E[K] },
  ) {
    const decided = current?.status === "decided";
    const existing = current?.informedBy ?? [];
    return checkFieldsAsync({
      title: () => requireText(text.title, "title", "The title", LIMITS.title),
      question: () => requireText(text.question, "question", "The question", LIMITS.question),
      context: () => requireText(text.context, "context", "The context", LIMITS.text),
      options: () => checkOptions(text.options),
      tags: () => normaliseTags(text.tags ?? []),
      decision: () => (decided ? requireText : optionalText)(text.decision, "decision", "The decision", LIMITS.text),
      rationale: () => (decided ? requireText : optionalText)(text.rationale, "rationale", "The rationale", LIMITS.text),
      consequences: () => optionalText(text.consequences, "consequences", "The consequences"),
      deciders: () => checkDeciders(text.deciders ?? [], decided, this.findLocal),
      informedBy: () => this.checkCitations(text.informedBy ?? existing, current),
      ...extra,
    });
  }
}

/** The first entry of a record's history: proposed, by its author. */
function proposedEntry(decisionId: string, author: Pick<Actor, "id">, at: Date): NewHistoryEntry {
  return {
    decisionId,
    at,
    actorId: author.id,
    action: "proposed",
    fromStatus: null,
    toStatus: "proposed",
    reason: "",
    changes: [],
  };
}

/** The fields of a record that its text sets (the rest say where it stands). */
function recordText(
  text: Pick<DecisionFields, "question" | "context" | "options" | "decision" | "rationale" | "consequences" | "deciders" | "informedBy">,
) {
  const { question, context, options, decision, rationale, consequences, deciders, informedBy } = text;
  return { question, context, options, decision, rationale, consequences, deciders, informedBy };
}
