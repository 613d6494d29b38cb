import type { Actor, FollowerRecipient, Following, OutgoingReaction, Page, Post } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";

/**
 * How many followers a fan-out reads, and hands on to be sent, at once. Each
 * page costs a call into Fedify (which builds and signs the activity again),
 * so pages much smaller than this slow a large fan-out down (npm run
 * bench:fanout: 200 a page took 3.8 s to reach 1,000 shared inboxes, 1,000 a
 * page 3.0 s); a thousand followers are a few hundred kilobytes.
 */
export const FOLLOWER_PAGE_SIZE = 1000;

export interface DeliveryOptions {
  /** Followers read per page when an activity goes to all of an actor's followers. */
  followerPageSize?: number;
}

/**
 * What goes out to other servers when something happens here: the records
 * behind each event, and the followers to deliver to, a page at a time so
 * that no fan-out holds every follower at once.
 */
export class DeliveryService {
  readonly followerPageSize: number;

  constructor(
    private readonly store: Store,
    options: DeliveryOptions = {},
  ) {
    const size = options.followerPageSize ?? FOLLOWER_PAGE_SIZE;
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`A follower page holds at least one follower, not ${size}`);
    this.followerPageSize = size;
  }

  /** The post an event is about, in whatever state it is now (a deleted one still tells whom to send its Delete). */
  postOfEvent(id: string): Promise<Post | null> {
    return this.store.posts.findById(id);
  }

  /**
   * A follow a local actor asked for that is still to be looked up and sent,
   * with the actor who asked (null if they are gone); null if it was handled
   * already (an event handled twice) or does not exist.
   */
  async followToSend(followingId: string): Promise<{ following: Following; follower: Actor | null } | null> {
    const following = await this.store.follows.findFollowing(followingId);
    if (following?.state !== "resolving") return null;
    return { following, follower: await this.store.actors.findById(following.actorId) };
  }

  /** A like or boost made here, to send, with the actor who made it (null if they are gone); null if there is none. */
  async reactionToSend(reactionId: string): Promise<{ reaction: OutgoingReaction; actor: Actor | null } | null> {
    const reaction = await this.store.interactions.findOutgoingReaction(reactionId);
    if (!reaction) return null;
    return { reaction, actor: await this.store.actors.findById(reaction.actorId) };
  }

  /**
   * One page of a local actor's followers to deliver to (from the start when
   * the cursor is null), newest first; `next` is null on the last page.
   * Someone who follows while a fan-out is under way is not in it.
   */
  followerPage(actorId: number, cursor: string | null): Promise<Page<FollowerRecipient>> {
    return this.store.follows.followers(actorId, cursor, this.followerPageSize);
  }
}
