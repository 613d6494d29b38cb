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
