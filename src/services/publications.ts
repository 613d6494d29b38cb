import type { Actor, ActorKeyRecord, FollowerRecipient, Page, Post, PostKind, ReactionKind, RemoteActor } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";

/** Who wrote a local post, and the community it was published in (none for a person's own notes). */
export interface PostAuthors {
  author: Actor;
  community: Actor | null;
  /** The community elsewhere the post is published in, where its author is a member. */
  remoteCommunity: RemoteActor | null;
}

/** What an ActivityPub object shows of how people answered it. */
export interface InteractionCounts {
  replies: number;
  likes: number;
  announces: number;
}

/**
 * What other servers may read of this instance: its actors (their documents,
 * keys and collections) and its published posts, with what the documents
 * and activities about them are built from.
 */
export class PublicationService {
  constructor(private readonly store: Store) {}

  /** A local actor by its handle (as stored), whatever its state. */
  localActor(handle: string): Promise<Actor | null> {
    return this.store.actors.findByHandle(handle);
  }

  /** A local actor other servers may see: a deactivated one is gone for them. */
  async servedActor(handle: string): Promise<Actor | null> {
    const actor = await this.store.actors.findByHandle(handle);
    return actor && !actor.deactivatedAt ? actor : null;
  }

  /** The keys a local actor signs with (RSA for HTTP signatures, Ed25519 for proofs); none if there is no such actor. */
  async signingKeys(handle: string): Promise<ActorKeyRecord[]> {
    const actor = await this.store.actors.findByHandle(handle);
    return actor ? this.store.actors.keys(actor.id) : [];
  }

  /** How many people have an account here, as NodeInfo tells. */
  countPeople(): Promise<number> {
    return this.store.actors.count("person");
  }

  /** A published post, which other servers may read; of this kind only, if given. */
  async servedPost(id: string, kind?: PostKind): Promise<Post | null> {
    const post = await this.store.posts.findById(id);
    if (post?.state !== "published" || (kind !== undefined && post.kind !== kind)) return null;
    return post;
  }

  /** The author and community of a local post; a post without its author is an error. */
  async authorsOf(post: Post): Promise<PostAuthors> {
    const author = await this.store.actors.findById(post.authorId);
    if (!author) throw new Error(`Post ${post.id} has no author`);
    const community = post.communityId === null ? null : await this.store.actors.findById(post.communityId);
    const remoteCommunity =
      post.remoteCommunityId === null
        ? null
        : ((await this.store.memberships.elsewhereOf(author.id)).find((m) => m.community?.id === post.remoteCommunityId)?.community ??
          null);
    return { author, community, remoteCommunity };
  }

  /** The replies, likes and boosts a post has had, as its document counts them. */
  async interactionCounts(postId: string): Promise<InteractionCounts> {
    const [replies, reactions] = await Promise.all([
      this.store.interactions.countReplies(postId),
      this.store.interactions.countReactions(postId),
    ]);
    return { replies, ...reactions };
  }

  /** The URIs of the replies to a published post; null if the post is not published. */
  async repliesOf(postId: string): Promise<string[] | null> {
    if (!(await this.servedPost(postId))) return null;
    return (await this.store.interactions.replies(postId)).map((reply) => reply.uri);
  }

  /** How many replies a published post has; null if the post is not published. */
  async countRepliesOf(postId: string): Promise<number | null> {
    return (await this.servedPost(postId)) ? this.store.interactions.countReplies(postId) : null;
  }

  /** Who liked (or boosted) a published post, by actor URI; null if the post is not published. */
  async reactorsOf(postId: string, kind: ReactionKind): Promise<string[] | null> {
    return (await this.servedPost(postId)) ? this.store.interactions.reactors(postId, kind) : null;
  }

  /** How many likes (or boosts) a published post has; null if the post is not published. */
  async countReactionsOf(postId: string, kind: ReactionKind): Promise<number | null> {
    if (!(await this.servedPost(postId))) return null;
    const counts = await this.store.interactions.countReactions(postId);
    return kind === "like" ? counts.likes : counts.announces;
  }

  /** A page of what a local actor published (or its community published), newest first: its outbox. */
  outboxPage(actorId: number, cursor: string | null, limit: number): Promise<Page<Post>> {
    return this.store.posts.listByActor(actorId, cursor, limit);
  }

  countOutbox(actorId: number): Promise<number> {
    return this.store.posts.countByActor(actorId);
  }

  /** A page of a local actor's followers, newest first, as its followers collection lists them. */
  followersPage(actorId: number, cursor: string | null, limit: number): Promise<Page<FollowerRecipient>> {
    return this.store.follows.followers(actorId, cursor, limit);
  }

  countFollowers(actorId: number): Promise<number> {
    return this.store.follows.countFollowers(actorId);
  }

  /** A page of the remote actors a local actor follows: its following collection. */
  followingPage(actorId: number, cursor: string | null, limit: number): Promise<Page<RemoteActor>> {
    return this.store.follows.following(actorId, cursor, limit);
  }

  countFollowing(actorId: number): Promise<number> {
    return this.store.follows.countFollowing(actorId);
  }

  /** The author of a reply we hold (from elsewhere), whom a local note answering it mentions; null if unknown. */
  async authorOfReply(replyUri: string): Promise<RemoteActor | null> {
    return (await this.store.interactions.findReplyByUri(replyUri))?.author ?? null;
  }

  /** The title of a record another record names (it supersedes, or is superseded by, it); null if there is none. */
  async recordTitle(id: string): Promise<string | null> {
    return (await this.store.posts.findById(id))?.title ?? null;
  }

  /** The local actors with these ids (who made the changes in a record's history), by id; unknown ids are left out. */
  async localActors(ids: number[]): Promise<Map<number, Actor>> {
    const found = new Map<number, Actor>();
    for (const id of new Set(ids)) {
      const actor = await this.store.actors.findById(id);
      if (actor) found.set(id, actor);
    }
    return found;
  }
}
