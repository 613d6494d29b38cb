/**
 * Things that happened locally and must be told to other servers. Services
 * record them in the same transaction as the change itself; the federation
 * worker turns each into activities. So a crash never loses one, and no user
 * action waits on a remote server.
 */
export type DomainEvent =
  | { type: "post.published"; postId: string }
  | { type: "post.updated"; postId: string; version: number }
  | { type: "post.deleted"; postId: string }
  | { type: "follow.requested"; followingId: string }
  | { type: "reaction.sent"; reactionId: string }
  /** Due when a consultation reaches its closing time; stale (and ignored) if the time was changed since. */
  | { type: "decision.consultation-due"; decisionId: string; closesAt: number };

/** The queue that carries domain events, beside Fedify's own. */
export const EVENTS_QUEUE = "events";

/** When an event may be handled: most at once, a consultation's close at its time (epoch ms). */
export function dueAtOf(event: DomainEvent, now: number): number {
  return event.type === "decision.consultation-due" ? Math.max(now, event.closesAt) : now;
}

/**
 * Events about one post are handled in order, so an Update never goes out
 * before its Create. A consultation's close has no key: waiting for its time,
 * it must not hold back the record's Updates.
 */
export function orderingKeyOf(event: DomainEvent): string | null {
  return "postId" in event ? `post:${event.postId}` : null;
}
