import { randomUUID } from "node:crypto";
import type { Clock } from "../domain/clock.ts";
import { conflict, forbidden, invalid, notFound } from "../domain/errors.ts";
import { localPostIdOf } from "../domain/urls.ts";
import { replyOutcome, type ReplyOutcome, type ReplyPolicy } from "../domain/reply-policy.ts";
import { sanitizeRemoteHtml } from "../domain/sanitize.ts";
import type { DomainEvent } from "../domain/events.ts";
import { MAX_MODERATION_REASON } from "../domain/moderation.ts";
import type { Actor, Post, RemoteActor, RemoteActorInput, Reply, ReplyState } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import type { ModerationService } from "./moderation.ts";
import { actorsById, type ActorsById } from "./names.ts";
import { notify } from "./notify.ts";
import { can } from "./permissions.ts";
import { threadRootOf } from "./thread-root.ts";

export interface IncomingReply {
  uri: string;
  inReplyTo: string;
  /** The local post the reply belongs to, when inReplyTo names one directly. */
  localPostId: string | null;
  author: RemoteActorInput;
  url: string | null;
  contentHtml: string;
  publishedAt: Date;
  updatedAt: Date | null;
  /** The ReplyRequest it came in, when its author asked first (GoToSocial's interaction controls). */
  requestUri?: string | null;
  /** Whether its object named Connexo as its generator: it came from another Connexo instance. */
  fromConnexo?: boolean;
}

/** What became of a reply from elsewhere; null when it answers nothing of ours. */
export type ReceivedReply = { outcome: ReplyOutcome; postId: string } | null;

/** How many held replies the queue shows at once. */
const QUEUE_PAGE = 100;

/** Replies waiting for a moderator, with the posts they answer and the communities those are in. */
export interface HeldQueue {
  replies: Reply[];
  posts: Map<string, Post>;
  communities: ActorsById;
}

/**
 * Replies from elsewhere under each community's reply policy: shown at once,
 * held for a moderator, or refused; approving and refusing held ones; the
 * authorizations approval gives; and the answers our own replies get from
 * servers that hold theirs. Every answer to another server is an event,
 * recorded with the change it follows from.
 */
export class ReplyService {
  private readonly origin: string;

  constructor(
    private readonly store: Store,
    private readonly now: Clock,
    private readonly moderation: ModerationService,
    origin: string,
  ) {
    this.origin = new URL(origin).origin;
  }

  /**
   * A reply from elsewhere to one of our posts, at any depth of its thread
   * (answering the post, a reply we hold, or a note written here). What the
   * thread's post's community allows decides whether it is shown, held or
   * refused; a refused one is not stored, and its author is told. A reply
   * that asked first (a ReplyRequest) is answered either way.
   */
  async receive(reply: IncomingReply): Promise<ReceivedReply> {
    // Decided from reads outside the unit of work, which holds the write lock (on SQLite) only for the writes.
    const thread = await this.threadAnswered(this.store, reply);
    if (!thread) return null;
    const { post, policyPost, answersHeldReply, answered } = thread;
    const existing = await this.store.interactions.replyStateByUri(reply.uri);
    // Delivered again: what was decided stands (edits come as Updates).
    if (existing) return { outcome: OUTCOME_OF_STATE[existing.state], postId: existing.postId };
    const outcome = await this.outcomeFor(this.store, policyPost, reply.author.uri, answersHeldReply);
    const requestUri = reply.requestUri ?? null;
    const about = { replyUri: reply.uri, postId: post.id, authorUri: reply.author.uri, requestUri };
    const contentHtml = sanitizeRemoteHtml(reply.contentHtml);
    return this.store.transaction(async (tx) => {
      // Kept even when refused: the answer goes to their inbox.
      const author = await tx.remoteActors.upsert(reply.author);
      if (outcome === "refuse") {
        await tx.events.record([answerEvent(about, null)]);
        return { outcome, postId: post.id };
      }
      // One who asked and may reply at once is granted it at once: kept as held, then approved with its authorization.
      const grantedNow = outcome === "accept" && requestUri !== null;
      await tx.interactions.saveReply({
        uri: reply.uri,
        postId: post.id,
        inReplyTo: reply.inReplyTo,
        remoteActorId: author.id,
        url: reply.url,
        contentHtml,
        publishedAt: reply.publishedAt,
        updatedAt: reply.updatedAt,
        state: outcome === "hold" || grantedNow ? "held" : "visible",
        requestUri,
        fromConnexo: reply.fromConnexo ?? false,
      });
      if (grantedNow) {
        const authorizationId = randomUUID();
        // (Not held: the same reply, delivered twice at once, was granted by the other delivery.)
        if (await tx.interactions.approveReply(reply.uri, authorizationId)) await tx.events.record([answerEvent(about, authorizationId)]);
      }
      if (outcome === "accept" && answered) await this.notifyAnswered(tx, answered, { uri: reply.uri, url: reply.url }, author);
      return { outcome, postId: post.id };
    });
  }

  /**
   * The post here a reply belongs under, the post whose community's policy
   * applies (the root of the thread; a note answering something elsewhere
   * is its own), and whether what it answers is itself held or hidden.
   */
  private async threadAnswered(
    tx: Store,
    reply: IncomingReply,
  ): Promise<{ post: Post; policyPost: Post; answersHeldReply: boolean; answered: Post | null } | null> {
    if (reply.localPostId) {
      const answered = await tx.posts.findById(reply.localPostId);
      if (!answered || answered.state !== "published") return null;
      if (answered.kind !== "note") return { post: answered, policyPost: answered, answersHeldReply: false, answered };
      const root = await threadRootOf(tx, this.origin, answered);
      const post = root?.state === "published" ? root : answered;
      return { post, policyPost: post, answersHeldReply: answered.hiddenAt !== null, answered };
    }
    const parent = await tx.interactions.findReplyByUri(reply.inReplyTo);
    const post = parent ? await tx.posts.findById(parent.postId) : null;
    if (!parent || !post || post.state !== "published") return null;
    return { post, policyPost: post, answersHeldReply: parent.state !== "visible", answered: null };
  }

  /** What the post's community allows this account: one query per fact asked. */
  private async outcomeFor(tx: Store, post: Post, authorUri: string, answersHeldReply: boolean): Promise<ReplyOutcome> {
    const community = post.communityId === null ? null : await tx.actors.findById(post.communityId);
    const policy: ReplyPolicy = community?.replyPolicy ?? "open";
    if (!community) return replyOutcome(policy, { ...NOBODY, answersHeldReply });
    const blocked = await tx.communityBlocks.isBlocked(community.id, authorUri);
    if (blocked || policy === "open" || policy === "closed") return replyOutcome(policy, { ...NOBODY, blocked, answersHeldReply });
    const isMember = (await tx.memberships.activeRole(community.id, authorUri)) !== null;
    const isFollower = policy === "followers" && !isMember && (await tx.follows.isFollower(community.id, authorUri));
    const hasTakenPart = policy === "newcomers" && !isMember && (await tx.interactions.hasTakenPart(community.id, authorUri));
    return replyOutcome(policy, { ...NOBODY, isMember, isFollower, hasTakenPart, answersHeldReply });
  }

  /** Tells the author of a post or note here that a reply to it from elsewhere is shown (its community's author, for a community's post). */
  private async notifyAnswered(tx: Store, answered: Post, reply: { uri: string; url: string | null }, author: RemoteActor) {
    await notify(tx, {
      recipient: answered.authorId,
      kind: "reply",
      source: reply.uri,
      postId: answered.id,
      subjectUri: reply.url ?? reply.uri,
      actor: { uri: author.uri, name: author.name ?? author.handle, url: author.url },
      at: new Date(this.now()),
    });
  }

  /** Approves a held reply: it is shown, its author is told (with an authorization), and the log keeps it. */
  async approve(acting: Actor, replyUri: string, onPost?: string): Promise<Reply> {
    return this.store.transaction(async (tx) => {
      const { reply, post } = await this.held(tx, acting, replyUri, onPost);
      const authorizationId = randomUUID();
      if (!(await tx.interactions.approveReply(reply.uri, authorizationId))) throw conflict("That reply is no longer held.");
      await tx.moderationLog.record({
        at: new Date(this.now()),
        actorId: acting.id,
        communityId: post.communityId,
        action: "reply.approved",
        subject: reply.uri,
        reason: "",
        details: { postId: post.id },
      });
      await tx.events.record([answerEvent(aboutReply(reply), authorizationId)]);
      // Now shown: the author of what it answers here is told, unless they approved it themselves.
      const answeredId = localPostIdOf(reply.inReplyTo, this.origin);
      const answered = answeredId === post.id ? post : answeredId ? await tx.posts.findById(answeredId) : null;
      if (answered && reply.author && answered.authorId !== acting.id) await this.notifyAnswered(tx, answered, reply, reply.author);
      return { ...reply, state: "visible", authorizationId };
    });
  }

  /**
   * Refuses a held reply, saying why: it is never shown (the log keeps what
   * it said, and the same reply delivered again stays refused), and its
   * author is told. Replies held because they answer it are refused with it.
   */
  async refuse(acting: Actor, replyUri: string, reason: string, onPost?: string): Promise<void> {
    const why = (reason ?? "").trim();
    if (why.length > MAX_MODERATION_REASON)
      throw invalid(`A reason may be at most ${MAX_MODERATION_REASON} characters.`, {
        reason: `at most ${MAX_MODERATION_REASON} characters`,
      });
    await this.store.transaction(async (tx) => {
      const { reply, post } = await this.held(tx, acting, replyUri, onPost);
      const held = await tx.interactions.replies(post.id, ["held"]);
      const refused = [reply, ...answersTo(reply.uri, held)];
      for (const each of refused) {
        await tx.interactions.setReplyState(each.uri, "refused");
        await tx.moderationLog.record({
          at: new Date(this.now()),
          actorId: acting.id,
          communityId: post.communityId,
          action: "reply.refused",
          subject: each.uri,
          reason: each === reply ? why : "It answers a refused reply.",
          details: { postId: post.id, author: each.author?.uri ?? null, contentHtml: each.contentHtml },
        });
      }
      await tx.events.record(refused.map((each) => answerEvent(aboutReply(each), null)));
    });
  }

  /** The held replies this person may approve, oldest first, with their posts and communities. Four queries at most. */
  async queue(acting: Actor): Promise<HeldQueue> {
    const scope = await this.scopeOf(acting);
    const replies = scope.length === 0 ? [] : await this.store.interactions.heldReplies(scope, QUEUE_PAGE);
    const posts = new Map((await this.store.posts.findByIds([...new Set(replies.map((r) => r.postId))])).map((p) => [p.id, p]));
    const communities = await actorsById(
      this.store,
      [...posts.values()].flatMap((p) => (p.communityId === null ? [] : [p.communityId])),
    );
    return { replies, posts, communities };
  }

  /** How many replies wait for this person's approval; null if they moderate nothing. */
  async heldCount(acting: Actor | null): Promise<number | null> {
    if (!acting) return null;
    const scope = await this.scopeOf(acting);
    return scope.length === 0 ? null : this.store.interactions.countHeldReplies(scope);
  }

  /** The communities whose held replies this person decides on ("all" for the instance's administrators). */
  private async scopeOf(acting: Actor): Promise<number[] | "all"> {
    if (acting.kind !== "person" || acting.deactivatedAt) return [];
    if (acting.isAdmin) return "all";
    const memberships = await this.store.actors.membershipsOfPerson(acting.id);
    return memberships.filter((m) => can(m.role, "moderate")).map((m) => m.community.id);
  }

  /** A held reply and its post, if this person may decide on it. */
  private async held(tx: Store, acting: Actor, replyUri: string, onPost?: string): Promise<{ reply: Reply; post: Post }> {
    const found = replyUri ? await tx.interactions.findReplyByUri(replyUri) : null;
    const reply = found && (onPost === undefined || found.postId === onPost) ? found : null;
    const post = reply ? await tx.posts.findById(reply.postId) : null;
    if (!reply || !post) throw notFound("There is no such reply.");
    if (!(await this.moderation.mayModerateReplies(post, acting, tx)))
      throw forbidden("Only those who moderate this post's community can approve or refuse its replies.");
    if (reply.state !== "held") throw conflict("That reply is not waiting for approval.");
    return { reply, post };
  }

  /** The approved reply an authorization was given for, and the post it answers; null if there is none. */
  async authorization(id: string): Promise<{ reply: Reply; post: Post } | null> {
    const reply = await this.store.interactions.findReplyByAuthorization(id);
    const post = reply ? await this.store.posts.findById(reply.postId) : null;
    return reply && post && reply.state === "visible" ? { reply, post } : null;
  }

  /**
   * The server of a post one of our notes answers approved it (with the
   * authorization it gave) or refused it. Only the server of the post answered
   * may say so. An approved note is sent again (an Update) to those who
   * received it, now carrying its `replyAuthorization`. Whether it changed anything.
   */
  async receiveAnswer(noteId: string, answererUri: string, answer: { authorization: string } | { refused: true }): Promise<boolean> {
    const note = await this.store.posts.findById(noteId);
    if (!note || note.kind !== "note" || !note.inReplyTo || !URL.canParse(note.inReplyTo)) return false;
    if (new URL(note.inReplyTo).origin !== new URL(answererUri).origin) return false;
    if (!("authorization" in answer)) return this.store.posts.setReplyAnswer(note.id, { refusedAt: new Date(this.now()) });
    if (!URL.canParse(answer.authorization) || new URL(answer.authorization).origin !== new URL(answererUri).origin) return false;
    if (note.replyAuthorization === answer.authorization) return false;
    return this.store.transaction(async (tx) => {
      if (!(await tx.posts.setReplyAnswer(note.id, { authorization: answer.authorization }))) return false;
      // Whoever received the note hears that it now carries its authorization.
      await tx.events.record([{ type: "post.updated", postId: note.id, version: note.version }]);
      return true;
    });
  }
}

/** What a redelivered reply's state says was decided. */
const OUTCOME_OF_STATE: Record<ReplyState, ReplyOutcome> = { visible: "accept", hidden: "accept", held: "hold", refused: "refuse" };

/** What an answer to a reply is about: the reply, the post it is under, its author, and the request it came in (if any). */
type AnswerAbout = Pick<Extract<DomainEvent, { type: "reply.answered" }>, "replyUri" | "postId" | "authorUri" | "requestUri">;

const aboutReply = (reply: Reply): AnswerAbout => ({
  replyUri: reply.uri,
  postId: reply.postId,
  authorUri: reply.author?.uri ?? "",
  requestUri: reply.requestUri,
});

/** The event that tells a reply's author it was approved (with the authorization given) or refused (null). */
function answerEvent(about: AnswerAbout, authorizationId: string | null): DomainEvent {
  return { type: "reply.answered", ...about, answerId: authorizationId ?? randomUUID(), authorizationId };
}

/** Of these replies, those answering `uri`, directly or through one another. */
function answersTo(uri: string, replies: Reply[]): Reply[] {
  const found: Reply[] = [];
  let frontier = new Set([uri]);
  while (frontier.size > 0) {
    const next = replies.filter((r) => frontier.has(r.inReplyTo) && !found.includes(r));
    found.push(...next);
    frontier = new Set(next.map((r) => r.uri));
  }
  return found;
}

/** Someone with no tie to the community. */
const NOBODY = {
  blocked: false,
  isMember: false,
  isFollower: false,
  hasTakenPart: false,
  answersHeldReply: false,
};
