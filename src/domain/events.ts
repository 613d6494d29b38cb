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
  | { type: "reaction.sent"; reactionId: string };

/** The queue that carries domain events, beside Fedify's own. */
export const EVENTS_QUEUE = "events";

/** Events about one post are handled in order, so an Update never goes out before its Create. */
export function orderingKeyOf(event: DomainEvent): string | null {
  return "postId" in event ? `post:${event.postId}` : null;
}
