import { randomUUID } from "node:crypto";
import {
  decisionSummary, isFinal, mayMove, MOVES, STATUS_LABELS,
  type Decision, type DecisionAction, type DecisionFields, type DecisionFilter, type DecisionMove, type DecisionOption,
  type DecisionStatus, type InformedBy,
} from "../domain/decisions.ts";
import { conflict, DomainError, forbidden, invalid, notFound } from "../domain/errors.ts";
import type { DomainEvent } from "../domain/events.ts";
import { normaliseHandle } from "../domain/handle.ts";
import { escapeHtml } from "../domain/sanitize.ts";
import { normaliseTags } from "../domain/tags.ts";
import type { Actor, Post, Reply } from "../domain/types.ts";
import type { DecisionChange, Store } from "../storage/repositories.ts";
import type { ActorService } from "./actors.ts";
import { checkFieldsAsync, requireText } from "./field-checks.ts";
import { can } from "./permissions.ts";

/** Where a decision record lives, as a page and as an ActivityPub object. */
export const decisionPath = (id: string) => `/decisions/${id}`;

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

/** A reply that a record may cite: one of the replies it received, from here or elsewhere. */
export interface CitableReply {
  uri: string;
  url: string | null;
  authorName: string;
  authorUri: string | null;
  contentHtml: string;
  publishedAt: Date;
}

const LIMITS = { title: 200, question: 500, text: 20_000, option: 200, optionText: 2_000, reason: 1_000, note: 1_000 };
const MAX_OPTIONS = 10;
const MAX_INPUTS = 50;
const MAX_CONSULTATION_DAYS = 366;
const REMOTE_HANDLE = /^[a-z0-9_.-]+@[a-z0-9.-]+(:\d+)?$/i;

const optionalText = (value: string | undefined, field: string, label: string) => {
  const text = (value ?? "").trim();
  if (text.length > LIMITS.text) throw invalid(`${label} must be at most ${LIMITS.text} characters.`, { [field]: `at most ${LIMITS.text} characters` });
  return text;
};

function checkOptions(options: DecisionOption[] | undefined): DecisionOption[] {
  const filled = (options ?? [])
    .map((o) => ({ title: (o.title ?? "").trim(), description: (o.description ?? "").trim() }))
    .filter((o) => o.title || o.description);
  if (filled.length > MAX_OPTIONS) throw invalid(`A record may list at most ${MAX_OPTIONS} options.`, { options: `at most ${MAX_OPTIONS}` });
  for (const o of filled) {
    if (!o.title) throw invalid("Each option needs a short name as well as its description.", { options: "each option needs a name" });
    if (o.title.length > LIMITS.option || o.description.length > LIMITS.optionText) {
      throw invalid(`Option names may be ${LIMITS.option} characters and descriptions ${LIMITS.optionText}.`, { options: "too long" });
    }
  }
  return filled;
}

function checkReason(reason: string | undefined, required: string | null): string {
  const text = (reason ?? "").trim();
  if (required && !text) throw invalid(required, { reason: "required" });
  if (text.length > LIMITS.reason) throw invalid(`The reason must be at most ${LIMITS.reason} characters.`, { reason: `at most ${LIMITS.reason} characters` });
  return text;
}

const changedMeanwhile = () => conflict("Someone else changed this record meanwhile. Look at it again, then make your change.");

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

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
  ) {}

  /** Records a proposed decision in a community the author may publish in. It is public (and federates) at once. */
  async propose(communityHandle: string, author: Actor, text: DecisionText): Promise<Decision> {
    const community = await this.actors.require(communityHandle, "community");
    await this.requirePublisher(community.id, author, community.handle);
    const now = new Date();
    const id = randomUUID();
    const checked = await this.checkText(text, id, "proposed");
    const fields: DecisionFields = {
      status: "proposed",
      question: checked.question,
      context: checked.context,
      options: checked.options,
      decision: checked.decision,
      rationale: checked.rationale,
      consequences: checked.consequences,
      deciders: checked.deciders,
      informedBy: checked.informedBy,
      consultationClosesAt: null,
      decidedAt: null,
      supersededBy: null,
      statusChangedAt: now,
    };
    const post: Post = {
      id,
      kind: "decision",
      authorId: author.id,
      communityId: community.id,
      title: checked.title,
      isoWeek: null,
      summary: decisionSummary(fields),
      bodyMarkdown: "",
      contentHtml: "",
      tags: checked.tags,
      inReplyTo: null,
      state: "published",
      version: 1,
      createdAt: now,
      publishedAt: now,
      updatedAt: null,
      deletedAt: null,
    };
    const notes = await this.acknowledgements(post, community, fields.informedBy, []);
    await this.store.decisions.insert({
      post,
      fields,
      history: { decisionId: id, at: now, actorId: author.id, action: "proposed", fromStatus: null, toStatus: "proposed", reason: "", changes: [] },
      events: [{ type: "post.published", postId: id }, ...notes.map((n) => ({ type: "post.published" as const, postId: n.id }))],
      notes,
    });
    return (await this.store.decisions.find(id))!;
  }

  /**
   * Changes the record's text. Before the decision anyone who may publish in
   * the community edits it; a decided record is amended, and only with a
   * reason; a superseded or withdrawn one stays as it is.
   */
  async edit(id: string, editor: Actor, text: DecisionText, reason?: string, readVersion?: number): Promise<Decision> {
    const current = await this.requireMovable(id, editor);
    if (isFinal(current.status)) throw conflict(`A ${STATUS_LABELS[current.status].toLowerCase()} record cannot be changed.`);
    // A form carries the version it showed: saving over a change made meanwhile would silently undo it.
    if (readVersion !== undefined && readVersion !== current.post.version) throw changedMeanwhile();
    const amending = current.status === "decided";
    const { reason: why, ...checked } = await this.checkText(text, id, current.status, {
      reason: () => checkReason(reason, amending ? "Say why the decided record is amended: the reason is shown in its history." : null),
    });
    const after = { ...current, ...checked };
    const changes = this.changedFields(current, after);
    if (changes.length === 0) throw invalid("Nothing has changed.");
    return this.commit(current, editor, amending ? "amended" : "edited", current.status, why, changes, {
      question: checked.question,
      context: checked.context,
      options: checked.options,
      decision: checked.decision,
      rationale: checked.rationale,
      consequences: checked.consequences,
      deciders: checked.deciders,
      informedBy: checked.informedBy,
    }, { title: checked.title, tags: checked.tags });
  }

  /** Opens the record for comment until a time; it closes by itself then (the event waits in the durable queue). */
  async open(id: string, actor: Actor, input: { closesAt: Date | null; reason?: string }): Promise<Decision> {
    const current = await this.requireMovable(id, actor);
    this.requireMove(current, "open");
    const closesAt = input.closesAt;
    const now = Date.now();
    if (!closesAt || Number.isNaN(closesAt.getTime())) throw invalid("Say when the consultation closes.", { closesAt: "required" });
    if (closesAt.getTime() <= now) throw invalid("The consultation must close in the future.", { closesAt: "must be in the future" });
    if (closesAt.getTime() > now + MAX_CONSULTATION_DAYS * 86_400_000) {
      throw invalid(`A consultation may run for at most ${MAX_CONSULTATION_DAYS} days.`, { closesAt: `at most ${MAX_CONSULTATION_DAYS} days ahead` });
    }
    const reason = checkReason(input.reason, null);
    return this.commit(current, actor, "opened", "open", reason, [], { consultationClosesAt: closesAt }, {}, [
      { type: "decision.consultation-due", decisionId: id, closesAt: closesAt.getTime() },
    ]);
  }

  /** Closes a consultation by hand. Before its time that needs a reason, which readers see. */
  async close(id: string, actor: Actor, input: { reason?: string }): Promise<Decision> {
    const current = await this.requireMovable(id, actor);
    this.requireMove(current, "close");
    const early = current.consultationClosesAt !== null && current.consultationClosesAt.getTime() > Date.now();
    const reason = checkReason(input.reason, early ? "Say why the consultation closes before its date." : null);
    return this.commit(current, actor, "closed", "closed", reason, [], early ? { consultationClosesAt: new Date() } : {});
  }

  /**
   * Closes the consultation when its time has come: the instance does it, so
   * the history shows no person. A stale event (the record moved on, or its
   * closing time changed) does nothing. Returns whether it closed.
   */
  async closeIfDue(id: string, closesAt: number): Promise<boolean> {
    const current = await this.store.decisions.find(id);
    if (!current || current.status !== "open" || current.consultationClosesAt?.getTime() !== closesAt) return false;
    if (closesAt > Date.now()) return false;
    await this.commit(current, null, "closed", "closed", "The consultation reached its closing time.", [], {});
    return true;
  }

  /** Records the decision: what was decided, why, who decided, and the input that informed it. */
  async decide(id: string, actor: Actor, input: DecideInput): Promise<Decision> {
    const current = await this.requireMovable(id, actor);
    if (current.status === "open") {
      throw conflict("The consultation is still open: close it before recording the decision, so everyone can see comments have ended.");
    }
    this.requireMove(current, "decide");
    const { deciders, informedBy, ...values } = await checkFieldsAsync({
      decision: () => requireText(input.decision, "decision", "The decision", LIMITS.text),
      rationale: () => requireText(input.rationale, "rationale", "The rationale", LIMITS.text),
      consequences: () => optionalText(input.consequences, "consequences", "The consequences"),
      deciders: () => this.checkDeciders(input.deciders, true),
      informedBy: () => this.checkInputs(input.informedBy ?? current.informedBy, id, current.informedBy),
      reason: () => checkReason(input.reason, null),
    });
    const changes = this.changedFields(current, { ...current, ...values, deciders, informedBy });
    return this.commit(current, actor, "decided", "decided", values.reason, changes, {
      decision: values.decision,
      rationale: values.rationale,
      consequences: values.consequences,
      deciders,
      informedBy,
      decidedAt: new Date(),
    });
  }

  /**
   * Marks a decided record as replaced by a later one on this instance, named
   * by its id or its address. The replacement must still stand: not
   * withdrawn, and not itself replaced (so two records never replace each other).
   */
  async supersede(id: string, actor: Actor, input: { by: string; reason?: string }): Promise<Decision> {
    const current = await this.requireMovable(id, actor);
    this.requireMove(current, "supersede");
    const byId = this.localDecisionId(input.by ?? "");
    const replacement = byId && byId !== id ? await this.store.decisions.find(byId) : null;
    if (!replacement || replacement.post.state !== "published" || isFinal(replacement.status)) {
      throw invalid("Choose the decision record that replaces this one.", { by: "choose a standing record on this instance, other than this one" });
    }
    const reason = checkReason(input.reason, null);
    return this.commit(current, actor, "superseded", "superseded", reason, ["superseded by"], { supersededBy: replacement.post.id });
  }

  /** Withdraws the record; the reason is required and shown. */
  async withdraw(id: string, actor: Actor, input: { reason?: string }): Promise<Decision> {
    const current = await this.requireMovable(id, actor);
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
      await this.requireMovable(id, person);
      return true;
    } catch (error) {
      if (error instanceof DomainError && (error.code === "forbidden" || error.code === "not_found")) return false;
      throw error;
    }
  }

  /** The replies the record received (remote ones, and local people's notes), which it may cite. */
  async citableReplies(id: string): Promise<CitableReply[]> {
    const url = `${this.origin}${decisionPath(id)}`;
    const [remote, local] = await Promise.all([
      this.store.interactions.replies(id, ["visible"]),
      this.store.posts.listNotesReplyingTo([url]),
    ]);
    const localAuthors = await Promise.all(local.map((note) => this.store.actors.findById(note.authorId)));
    return [
      ...remote.map((r: Reply) => ({
        uri: r.uri,
        url: r.url,
        authorName: r.author?.name ?? r.author?.handle ?? "someone elsewhere",
        authorUri: r.author?.uri ?? null,
        contentHtml: r.contentHtml,
        publishedAt: r.publishedAt,
      })),
      ...local.map((note, i) => ({
        uri: `${this.origin}/notes/${note.id}`,
        url: `${this.origin}/notes/${note.id}`,
        authorName: localAuthors[i]?.displayName ?? "someone here",
        authorUri: localAuthors[i] ? `${this.origin}/@${localAuthors[i]!.handle}` : null,
        contentHtml: note.contentHtml,
        publishedAt: note.publishedAt ?? note.createdAt,
      })),
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
  ): Promise<Decision> {
    const now = new Date();
    const statusChanged = status !== current.status;
    const { post: currentPost, supersedes: _supersedes, ...currentFields } = current;
    const fields: DecisionFields = { ...currentFields, ...fieldChanges, status, statusChangedAt: statusChanged ? now : current.statusChangedAt };
    const post: Post = {
      ...currentPost,
      ...postChanges,
      summary: decisionSummary(fields),
      updatedAt: now,
      version: currentPost.version + 1,
    };
    const community = await this.store.actors.findById(post.communityId!);
    const notes = community ? await this.acknowledgements(post, community, fields.informedBy, current.informedBy) : [];
    const change: DecisionChange = {
      post,
      fields,
      history: { decisionId: post.id, at: now, actorId: actor?.id ?? null, action, fromStatus: current.status, toStatus: status, reason, changes },
      events: [
        { type: "post.updated", postId: post.id, version: post.version },
        ...notes.map((n) => ({ type: "post.published" as const, postId: n.id })),
        ...extraEvents,
      ],
      notes,
    };
    if (!(await this.store.decisions.save(change, currentPost.version))) {
      throw changedMeanwhile();
    }
    return (await this.store.decisions.find(post.id))!;
  }

  private async requirePublisher(communityId: number, person: Actor, communityHandle: string) {
    const role = await this.store.actors.membership(communityId, person.id);
    if (!can(role, "publish")) throw forbidden(`@${person.handle} may not record decisions for @${communityHandle}.`);
  }

  /** The record, if this person may publish in its community (only they move or edit it). */
  private async requireMovable(id: string, person: Actor): Promise<Decision> {
    const decision = await this.store.decisions.find(id);
    if (!decision || decision.post.state !== "published") throw notFound("There is no such decision record.");
    const community = await this.store.actors.findById(decision.post.communityId!);
    await this.requirePublisher(decision.post.communityId!, person, community?.handle ?? "this community");
    return decision;
  }

  private requireMove(current: Decision, move: DecisionMove) {
    if (mayMove(current.status, move)) return;
    const allowed = MOVES[move].from.map((s) => STATUS_LABELS[s].toLowerCase()).join(" or ");
    throw conflict(`This record is ${STATUS_LABELS[current.status].toLowerCase()}; it can be ${MOVES[move].action} only when ${allowed}.`);
  }

  /** Checks every field of the text at once (and any extra checks), so a form shows every problem together. */
  private async checkText<E extends Record<string, unknown>>(
    text: DecisionText,
    id: string,
    status: DecisionStatus,
    extra: { [K in keyof E]: () => E[K] | Promise<E[K]> } = {} as { [K in keyof E]: () => E[K] },
  ) {
    const decided = status === "decided";
    const existing = (await this.store.decisions.find(id))?.informedBy ?? [];
    return checkFieldsAsync({
      title: () => requireText(text.title, "title", "The title", LIMITS.title),
      question: () => requireText(text.question, "question", "The question", LIMITS.question),
      context: () => requireText(text.context, "context", "The context", LIMITS.text),
      options: () => checkOptions(text.options),
      tags: () => normaliseTags(text.tags ?? []),
      decision: () => (decided ? requireText : optionalText)(text.decision, "decision", "The decision", LIMITS.text),
      rationale: () => (decided ? requireText : optionalText)(text.rationale, "rationale", "The rationale", LIMITS.text),
      consequences: () => optionalText(text.consequences, "consequences", "The consequences"),
      deciders: () => this.checkDeciders(text.deciders ?? [], decided),
      informedBy: () => this.checkInputs(text.informedBy ?? existing, id, existing),
      ...extra,
    });
  }

  /** A local record's id from its id or its address here (a copied address may carry ?… or #…). */
  private localDecisionId(reference: string): string | null {
    const text = reference.trim();
    if (!URL.canParse(text)) return text || null;
    const url = new URL(text);
    const match = /^\/decisions\/([0-9a-f-]{36})$/.exec(url.pathname);
    return url.origin === new URL(this.origin).origin && match ? match[1]! : null;
  }

  /** Local people by handle (they must exist), people elsewhere as user@host. */
  private async checkDeciders(input: string | string[], required: boolean): Promise<string[]> {
    const entries = (typeof input === "string" ? input.split(/[\s,]+/) : input).map(normaliseHandle).filter(Boolean);
    const unique = [...new Set(entries)];
    if (required && unique.length === 0) throw invalid("Say who decided.", { deciders: "required" });
    if (unique.length > 50) throw invalid("Name at most 50 people who decided.", { deciders: "at most 50" });
    for (const entry of unique) {
      if (entry.includes("@")) {
        if (!REMOTE_HANDLE.test(entry)) throw invalid(`"@${entry}" is not a fediverse handle like @name@server.example.`, { deciders: `"@${entry}" is not a handle` });
        continue;
      }
      const person = await this.store.actors.findByHandle(entry);
      if (!person || person.kind !== "person") throw invalid(`There is no one here called @${entry}; for someone elsewhere write @name@server.`, { deciders: `no one here is @${entry}` });
    }
    return unique;
  }

  /**
   * The posts that informed the record, each with a note of how. A reply the
   * record received keeps its author, so they can be told; any other post is
   * a link. Acknowledgements already sent are kept.
   */
  private async checkInputs(input: { uri: string; note: string }[], id: string, existing: InformedBy[]): Promise<InformedBy[]> {
    const filled = input.map((i) => ({ uri: (i.uri ?? "").trim(), note: (i.note ?? "").trim() })).filter((i) => i.uri || i.note);
    if (filled.length > MAX_INPUTS) throw invalid(`A record may cite at most ${MAX_INPUTS} posts.`, { informedBy: `at most ${MAX_INPUTS}` });
    const replies = new Map((await this.citableReplies(id)).map((r) => [r.uri, r]));
    const seen = new Set<string>();
    const result: InformedBy[] = [];
    for (const { uri, note } of filled) {
      if (!/^https?:\/\//.test(uri) || !URL.canParse(uri)) throw invalid("Each post that informed the record needs its web address (https://…).", { informedBy: "a web address" });
      if (!note) throw invalid("Say how each cited post informed the record.", { informedBy: "say how it informed the record" });
      if (note.length > LIMITS.note) throw invalid(`Each note may be at most ${LIMITS.note} characters.`, { informedBy: `at most ${LIMITS.note} characters` });
      if (seen.has(uri)) continue;
      seen.add(uri);
      const reply = replies.get(uri);
      const before = existing.find((e) => e.uri === uri);
      result.push({
        uri,
        url: reply?.url ?? before?.url ?? uri,
        note,
        authorUri: reply?.authorUri ?? before?.authorUri ?? null,
        authorName: reply?.authorName ?? before?.authorName ?? null,
        acknowledgementId: before?.acknowledgementId ?? null,
      });
    }
    return result;
  }

  /**
   * "You said, we did": for each reply from elsewhere newly cited, a public
   * note from the community that mentions its author, answers their reply and
   * links the record. Marks each input with the note sent.
   */
  private async acknowledgements(post: Post, community: Actor, inputs: InformedBy[], before: InformedBy[]): Promise<Post[]> {
    const notes: Post[] = [];
    for (const input of inputs) {
      if (input.acknowledgementId || before.some((b) => b.uri === input.uri && b.acknowledgementId)) continue;
      const reply = await this.store.interactions.findReplyByUri(input.uri);
      if (!reply?.author || reply.postId !== post.id) continue;
      const now = new Date();
      const recordUrl = `${this.origin}${decisionPath(post.id)}`;
      const handle = reply.author.handle?.replace(/^@/, "").split("@")[0] || reply.author.name || "you";
      const mention = `<span class="h-card"><a href="${escapeHtml(reply.author.url ?? reply.author.uri)}" class="u-url mention">@<span>${escapeHtml(handle)}</span></a></span>`;
      const body = `Thank you: your reply informed the decision record “${post.title}”. How we used it: ${input.note}`;
      const note: Post = {
        id: randomUUID(),
        kind: "note",
        authorId: community.id,
        communityId: null,
        title: null,
        isoWeek: null,
        summary: null,
        bodyMarkdown: `${body}\n\n${recordUrl}`,
        contentHtml: `<p>${mention} ${escapeHtml(body)}</p><p><a href="${escapeHtml(recordUrl)}">${escapeHtml(recordUrl)}</a></p>`,
        tags: [],
        inReplyTo: reply.uri,
        state: "published",
        version: 1,
        createdAt: now,
        publishedAt: now,
        updatedAt: null,
        deletedAt: null,
      };
      input.acknowledgementId = note.id;
      notes.push(note);
    }
    return notes;
  }

  /** The names of the fields a change touches, for the history. */
  private changedFields(before: Decision, after: Decision | (Decision & Record<string, unknown>)): string[] {
    const a = after as Decision & { title?: string; tags?: string[] };
    const pairs: [string, unknown, unknown][] = [
      ["title", before.post.title, a.title ?? before.post.title],
      ["tags", before.post.tags, a.tags ?? before.post.tags],
      ["question", before.question, a.question],
      ["context", before.context, a.context],
      ["options", before.options, a.options],
      ["decision", before.decision, a.decision],
      ["rationale", before.rationale, a.rationale],
      ["consequences", before.consequences, a.consequences],
      ["deciders", before.deciders, a.deciders],
      ["informed by", before.informedBy.map((i) => [i.uri, i.note]), a.informedBy.map((i) => [i.uri, i.note])],
    ];
    return pairs.filter(([, x, y]) => !sameJson(x, y)).map(([name]) => name);
  }
}
