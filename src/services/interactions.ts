import type { Clock } from "../domain/clock.ts";
import { randomUUID } from "node:crypto";
import type { RemoteDecision } from "../domain/decisions.ts";
import { forbidden, invalid, notFound } from "../domain/errors.ts";
import type { ListPage, PageAt } from "../domain/paging.ts";
import type { ModerationService } from "./moderation.ts";
import { renderMarkdown } from "../domain/markdown.ts";
import { sanitizeRemoteHtml } from "../domain/sanitize.ts";
import { absoluteUrl, localPostIdOf, notePath } from "../domain/urls.ts";
import type { Actor, Post, ReactionKind, RemoteActorInput, RemotePost, RemotePostInput } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import { newNote } from "./new-post.ts";
import { notify } from "./notify.ts";
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
    await this.store.transaction(async (tx) => {
      const remote = await tx.remoteActors.upsert(actor);
      await tx.interactions.addReaction(activityUri, postId, remote.id, kind);
      await notify(tx, {
        recipient: post.authorId,
        kind: kind === "like" ? "like" : "boost",
        source: activityUri,
        postId,
        actor: { uri: remote.uri, name: remote.name ?? remote.handle, url: remote.url },
        at: new Date(this.now()),
      });
    });
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
    // The author of what it answers here is told (no one is told of their own reply).
    const answeredId = localPostIdOf(inReplyTo, this.origin);
    const answered = answeredId ? await this.store.posts.findById(answeredId) : null;
    await this.store.transaction(async (tx) => {
      await tx.posts.insert(post, [{ type: "post.published", postId: post.id }]);
      if (answered?.state !== "published") return;
      await notify(tx, {
        recipient: answered.authorId,
        kind: "reply",
        source: absoluteUrl(this.origin, notePath(post.id)),
        postId: answered.id,
        subjectUri: absoluteUrl(this.origin, notePath(post.id)),
        actor: { id: author.id },
        at: new Date(this.now()),
      });
    });
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

  /** A page of the network view, newest first. One query. */
  timelinePage(actor: Actor, at: PageAt, limit = 30): Promise<ListPage<RemotePost>> {
    return this.store.interactions.timelinePage(actor.id, at, limit);
  }

  /**
   * From the web: a person likes or boosts a post they can see here, a
   * published one of ours or one from elsewhere we hold; any other is not found.
   */
  async reactToKnown(person: Actor, objectUri: string, kind: ReactionKind): Promise<string> {
    if (person.kind !== "person") throw forbidden("Only people like and boost posts.");
    if (!(await this.isKnownPost(objectUri))) throw notFound("There is no such post here.");
    return this.react(person, objectUri, kind);
  }

  /** Takes back a like or boost; its `Undo` names the activity that was sent, by the same id. */
  async undoReaction(actor: Actor, objectUri: string, kind: ReactionKind): Promise<void> {
    const removed = await this.store.interactions.removeOutgoingReaction(actor.id, objectUri, kind, (reaction) => [
      { type: "reaction.undone", reactionId: reaction.id, actorId: reaction.actorId, objectUri: reaction.objectUri, kind: reaction.kind },
    ]);
    if (!removed) throw notFound(kind === "like" ? "You have not liked this post." : "You have not boosted this post.");
  }

  /** Which of these posts (by URI) the actor liked and boosted. One query, none for no posts. */
  async reactionsTo(actor: Actor, objectUris: string[]): Promise<{ liked: Set<string>; boosted: Set<string> }> {
    const rows = await this.store.interactions.outgoingReactionsTo(actor.id, objectUris);
    return {
      liked: new Set(rows.filter((r) => r.kind === "like").map((r) => r.objectUri)),
      boosted: new Set(rows.filter((r) => r.kind === "announce").map((r) => r.objectUri)),
    };
  }

  private async isKnownPost(uri: string): Promise<boolean> {
    const localId = localPostIdOf(uri, this.origin);
    if (localId) return (await this.store.posts.findById(localId))?.state === "published";
    const remote = URL.canParse(uri) ? await this.store.interactions.findRemotePost(uri) : null;
    return remote !== null && remote.deletedAt === null;
  }

  async replies(postId: string) {
    const post = await this.store.posts.findById(postId);
    if (!post) throw notFound("There is no such post.");
    return this.store.interactions.replies(postId);
  }
}
