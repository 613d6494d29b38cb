import { randomUUID } from "node:crypto";
import type { Clock } from "../domain/clock.ts";
import { conflict, forbidden, invalid, notFound } from "../domain/errors.ts";
import { replyOutcome, type ReplyOutcome, type ReplyPolicy } from "../domain/reply-policy.ts";
import { sanitizeRemoteHtml } from "../domain/sanitize.ts";
import type { Actor, Post, RemoteActorInput, Reply } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import type { ModerationService } from "./moderation.ts";
import { actorsById, type ActorsById } from "./names.ts";
import { can } from "./permissions.ts";

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
}

/** What became of a reply from elsewhere; null when it answers nothing of ours. */
export type ReceivedReply = { outcome: ReplyOutcome; postId: string } | null;

/** The longest reason a moderator may give for refusing a reply. */
const MAX_REASON = 500;
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
  constructor(
    private readonly store: Store,
    private readonly now: Clock,
    private readonly moderation: ModerationService,
  ) {}

  /**
   * A reply to one of our posts (or to a reply we hold), from elsewhere. What
   * its post's community allows decides whether it is shown, held or refused;
   * a refused one is not stored, and its author is told. A reply that asked
   * first (a ReplyRequest) is answered either way.
   */
  async receive(reply: IncomingReply): Promise<ReceivedReply> {
    return this.store.transaction(async (tx) => {
      const parent = reply.localPostId ? null : await tx.interactions.findReplyByUri(reply.inReplyTo);
      const postId = reply.localPostId ?? parent?.postId ?? null;
      const post = postId ? await tx.posts.findById(postId) : null;
      if (!post || post.state !== "published") return null;
      const existing = await tx.interactions.findReplyByUri(reply.uri);
      // Delivered again: what was decided stands (edits come as Updates).
      if (existing) return { outcome: existing.state === "held" ? "hold" : "accept", postId: post.id };
      const outcome = await this.outcomeFor(tx, post, reply.author.uri, parent?.state === "held");
      const requestUri = reply.requestUri ?? null;
      const answer = { replyUri: reply.uri, postId: post.id, authorUri: reply.author.uri, requestUri };
      // Kept even when refused: the answer goes to their inbox.
      const author = await tx.remoteActors.upsert(reply.author);
      if (outcome === "refuse") {
        await tx.events.record([{ type: "reply.answered", ...answer, answerId: randomUUID(), authorizationId: null }]);
        return { outcome, postId: post.id };
      }
      await tx.interactions.saveReply({
        uri: reply.uri,
        postId: post.id,
        inReplyTo: reply.inReplyTo,
        remoteActorId: author.id,
        url: reply.url,
        contentHtml: sanitizeRemoteHtml(reply.contentHtml),
        publishedAt: reply.publishedAt,
        updatedAt: reply.updatedAt,
        state: outcome === "hold" ? "held" : "visible",
        requestUri,
      });
      // One who asked and may reply at once gets their authorization at once.
      if (outcome === "accept" && requestUri) {
        const authorizationId = randomUUID();
        await tx.interactions.approveReply(reply.uri, authorizationId);
        await tx.events.record([{ type: "reply.answered", ...answer, answerId: authorizationId, authorizationId }]);
      }
      return { outcome, postId: post.id };
    });
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
      await tx.events.record([
        {
          type: "reply.answered",
          replyUri: reply.uri,
          postId: post.id,
          authorUri: reply.author?.uri ?? "",
          requestUri: reply.requestUri,
          answerId: authorizationId,
          authorizationId,
        },
      ]);
      return { ...reply, state: "visible", authorizationId };
    });
  }

  /**
   * Refuses a held reply, saying why: it is deleted (the log keeps what it
   * said), and its author is told.
   */
  async refuse(acting: Actor, replyUri: string, reason: string, onPost?: string): Promise<void> {
    const why = (reason ?? "").trim();
    if (why.length > MAX_REASON)
      throw invalid(`A reason may be at most ${MAX_REASON} characters.`, { reason: `at most ${MAX_REASON} characters` });
    await this.store.transaction(async (tx) => {
      const { reply, post } = await this.held(tx, acting, replyUri, onPost);
      await tx.interactions.deleteReply(reply.uri);
      await tx.moderationLog.record({
        at: new Date(this.now()),
        actorId: acting.id,
        communityId: post.communityId,
        action: "reply.refused",
        subject: reply.uri,
        reason: why,
        details: { postId: post.id, author: reply.author?.uri ?? null, contentHtml: reply.contentHtml },
      });
      await tx.events.record([
        {
          type: "reply.answered",
          replyUri: reply.uri,
          postId: post.id,
          authorUri: reply.author?.uri ?? "",
          requestUri: reply.requestUri,
          answerId: randomUUID(),
          authorizationId: null,
        },
      ]);
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
   * may say so. Whether it changed anything.
   */
  async receiveAnswer(noteId: string, answererUri: string, answer: { authorization: string } | { refused: true }): Promise<boolean> {
    const note = await this.store.posts.findById(noteId);
    if (!note || note.kind !== "note" || !note.inReplyTo || !URL.canParse(note.inReplyTo)) return false;
    if (new URL(note.inReplyTo).origin !== new URL(answererUri).origin) return false;
    if ("authorization" in answer) {
      if (!URL.canParse(answer.authorization) || new URL(answer.authorization).origin !== new URL(answererUri).origin) return false;
      return this.store.posts.setReplyAnswer(note.id, { authorization: answer.authorization });
    }
    return this.store.posts.setReplyAnswer(note.id, { refusedAt: new Date(this.now()) });
  }
}

/** Someone with no tie to the community. */
const NOBODY = {
  blocked: false,
  isPostAuthor: false,
  isMember: false,
  isFollower: false,
  hasTakenPart: false,
  answersHeldReply: false,
};
