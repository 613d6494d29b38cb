import type { Clock } from "../domain/clock.ts";
import { randomUUID } from "node:crypto";
import type { RemoteDecision } from "../domain/decisions.ts";
import { forbidden, invalid, notFound } from "../domain/errors.ts";
import type { ModerationService } from "./moderation.ts";
import { renderMarkdown } from "../domain/markdown.ts";
import { sanitizeRemoteHtml } from "../domain/sanitize.ts";
import type { Actor, Post, ReactionKind, RemoteActorInput, RemotePostInput } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import { newNote } from "./new-post.ts";
import { threadRootAnswered } from "./thread-root.ts";

/** A decision record from elsewhere, with each of its HTML fields made safe (and bounded) before it is stored. */
function sanitizeDecision(decision: RemoteDecision | null): RemoteDecision | null {
  if (!decision) return null;
  return {
    ...decision,
    contextHtml: sanitizeRemoteHtml(decision.contextHtml),
    options: decision.options.map((o) => ({ ...o, descriptionHtml: sanitizeRemoteHtml(o.descriptionHtml) })),
    decisionHtml: sanitizeRemoteHtml(decision.decisionHtml),
    rationaleHtml: sanitizeRemoteHtml(decision.rationaleHtml),
    consequencesHtml: sanitizeRemoteHtml(decision.consequencesHtml),
  };
}

/** Replies, likes and boosts, in both directions, and posts from those we follow. */
export class InteractionService {
  constructor(
    private readonly store: Store,
    private readonly now: Clock,
    private readonly origin: string,
    private readonly moderation: ModerationService,
  ) {}

  /** Only the reply's own author may change or delete it. */
  private async ownReply(uri: string, actorUri: string) {
    const reply = await this.store.interactions.findReplyByUri(uri);
    return reply && reply.author?.uri === actorUri ? reply : null;
  }

  async receiveReplyUpdate(uri: string, actorUri: string, contentHtml: string, updatedAt: Date): Promise<boolean> {
    const reply = await this.ownReply(uri, actorUri);
    if (!reply) return false;
    // Edits can arrive out of order: one older than the version we hold changes nothing.
    if (updatedAt.getTime() < (reply.updatedAt ?? reply.publishedAt).getTime()) return false;
    await this.store.interactions.updateReply(uri, sanitizeRemoteHtml(contentHtml), updatedAt);
    return true;
  }

  async receiveReplyDelete(uri: string, actorUri: string): Promise<boolean> {
    if (!(await this.ownReply(uri, actorUri))) return false;
    await this.store.interactions.deleteReply(uri);
    return true;
  }

  async receiveReaction(kind: ReactionKind, activityUri: string, postId: string, actor: RemoteActorInput): Promise<boolean> {
    const post = await this.store.posts.findById(postId);
    if (!post || post.state !== "published") return false;
    const remote = await this.store.remoteActors.upsert(actor);
    await this.store.interactions.addReaction(activityUri, postId, remote.id, kind);
    return true;
  }

  async receiveUndoReaction(kind: ReactionKind, actorUri: string, match: { activityUri?: string; postId?: string }): Promise<boolean> {
    const remote = await this.store.remoteActors.findByUri(actorUri);
    if (!remote) return false;
    return this.store.interactions.removeReaction({ ...match, remoteActorId: remote.id, kind });
  }

  /**
   * Whether a post by this author (or boosted by this actor) belongs in
   * someone's network view here; asked before fetching anything more about it.
   */
  async keepsPostsBy(authorUri: string, announcedBy: string | null): Promise<boolean> {
    return (
      (await this.store.follows.isFollowedLocally(authorUri)) ||
      (announcedBy !== null && (await this.store.follows.isFollowedLocally(announcedBy)))
    );
  }

  /**
   * Whether a boost by this actor belongs in someone's network view here (a
   * community re-sharing its members' posts): only if someone here follows
   * the booster; asked before fetching what was boosted.
   */
  async keepsBoostsBy(announcerUri: string): Promise<boolean> {
    return this.store.follows.isFollowedLocally(announcerUri);
  }

  /**
   * Someone took back their boost of a remote post: it leaves the network
   * view, unless its author is followed here. Whether it had been kept as
   * their boost.
   */
  receiveUndoBoost(announcerUri: string, postUri: string): Promise<boolean> {
    return this.store.interactions.forgetBoost(postUri, announcerUri);
  }

  /** Whether we hold this remote post, by this author: only then does their Update concern us. */
  async holdsRemotePost(uri: string, actorUri: string): Promise<boolean> {
    return (await this.store.interactions.findRemotePost(uri))?.author?.uri === actorUri;
  }

  async receiveRemotePost(post: Omit<RemotePostInput, "remoteActorId">, author: RemoteActorInput): Promise<boolean> {
    if (!(await this.keepsPostsBy(author.uri, post.announcedBy))) return false;
    const saved = await this.store.remoteActors.upsert(author);
    await this.store.interactions.saveRemotePost({
      ...post,
      contentHtml: sanitizeRemoteHtml(post.contentHtml),
      decision: sanitizeDecision(post.decision),
      remoteActorId: saved.id,
    });
    return true;
  }

  async receiveRemotePostUpdate(post: Omit<RemotePostInput, "remoteActorId">, actorUri: string): Promise<boolean> {
    const existing = await this.store.interactions.findRemotePost(post.uri);
    if (!existing || existing.author?.uri !== actorUri) return false;
    // Updates may arrive out of order: an older one than what we hold changes nothing.
    if (existing.updatedAt && post.updatedAt && post.updatedAt < existing.updatedAt) return false;
    await this.store.interactions.saveRemotePost({
      ...post,
      announcedBy: existing.announcedBy,
      contentHtml: sanitizeRemoteHtml(post.contentHtml),
      // A record that could not be fetched this time keeps what we had; the summary still states the new status.
      decision: sanitizeDecision(post.decision) ?? existing.decision,
      remoteActorId: existing.author.id,
    });
    return true;
  }

  async receiveRemotePostDelete(uri: string, actorUri: string): Promise<boolean> {
    const existing = await this.store.interactions.findRemotePost(uri);
    if (!existing || existing.author?.uri !== actorUri) return false;
    await this.store.interactions.markRemotePostDeleted(uri, new Date(this.now()));
    return true;
  }

  /** A local person replies (in Markdown) to any post, here or elsewhere. */
  async reply(author: Actor, inReplyTo: string, body: string): Promise<Post> {
    if (author.kind !== "person") throw invalid("Only people can reply.");
    if (!URL.canParse(inReplyTo)) throw invalid("inReplyTo must be the URL of a post.", { inReplyTo: "a URL" });
    const text = (body ?? "").trim();
    if (!text) throw invalid("A reply needs some text.", { body: "required" });
    if (text.length > 10_000) throw invalid("A reply may be at most 10,000 characters.", { body: "at most 10,000 characters" });
    // A thread here is answered only as its post's community's reply policy allows, at any depth.
    const answering = await threadRootAnswered(this.store, this.origin, inReplyTo);
    if (answering && !(await this.moderation.mayReply(answering, author)))
      throw forbidden("This community does not take replies from you on this post.");
    const post = newNote({ authorId: author.id, inReplyTo, bodyMarkdown: text, contentHtml: renderMarkdown(text) }, new Date(this.now()));
    await this.store.posts.insert(post, [{ type: "post.published", postId: post.id }]);
    return post;
  }

  /** A local actor likes or boosts a post anywhere. Doing it twice is a conflict. */
  async react(actor: Actor, objectUri: string, kind: ReactionKind): Promise<string> {
    if (!URL.canParse(objectUri)) throw invalid("object must be the URL of a post.", { object: "a URL" });
    const id = randomUUID();
    await this.store.interactions.addOutgoingReaction({ id, actorId: actor.id, objectUri, kind }, [
      { type: "reaction.sent", reactionId: id },
    ]);
    return id;
  }

  async timeline(actor: Actor, limit = 50) {
    return this.store.interactions.timeline(actor.id, limit);
  }

  async replies(postId: string) {
    const post = await this.store.posts.findById(postId);
    if (!post) throw notFound("There is no such post.");
    return this.store.interactions.replies(postId);
  }
}
