import type { Role } from "./types.ts";

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
  /** A local actor took back a like or boost: its row is gone, so the event carries what the `Undo` names. */
  | { type: "reaction.undone"; reactionId: string; actorId: number; objectUri: string; kind: "like" | "announce" }
  /** A local actor stopped following a remote actor: the `Undo` of the `Follow` goes to them. */
  | { type: "follow.undone"; followingId: string; actorId: number; remoteActorUri: string }
  /** A community invited someone elsewhere: look them up, then send an Invite or a message. */
  | { type: "member.invited"; memberId: string }
  /** A community answered a request to join from someone elsewhere. */
  | { type: "member.answered"; memberId: string; communityId: number; personUri: string; joinUri: string; accepted: boolean }
  /** Someone joined a community, left it or changed role: the member and the community's followers are told. */
  | { type: "member.changed"; change: MemberChange }
  /** A local person asked to join a community elsewhere: look it up, then send the Join. */
  | { type: "elsewhere.requested"; membershipId: string }
  /** A local person answered an invitation from a community elsewhere. */
  | { type: "elsewhere.answered"; personId: number; communityUri: string; inviteUri: string; accepted: boolean }
  /** A local person left a community elsewhere. */
  | { type: "elsewhere.left"; personId: number; communityUri: string; leaveId: string }
  /** A community shares what a member elsewhere published in it (or changed, or deleted) with its followers. */
  | { type: "community.shared"; communityId: number; postUri: string; activityUri: string; action: "create" | "update" | "delete" }
  /** A community's moderators took a post out of it: the community takes back its boost. */
  | { type: "community.withdrawn"; communityId: number; post: { uri: string } | { localPostId: string } }
  /** A person here, a moderator of a community elsewhere, asks it to take a post out. */
  | { type: "elsewhere.withdraw"; personId: number; communityUri: string; postUri: string; requestId: string }
  /**
   * A reply from elsewhere was approved (with the authorization given for it)
   * or refused: its author's server is told, as GoToSocial's interaction
   * controls say. `answerId` names the answer (the authorization's id when approved).
   */
  | {
      type: "reply.answered";
      replyUri: string;
      postId: string;
      authorUri: string;
      requestUri: string | null;
      answerId: string;
      authorizationId: string | null;
    }
  /** A reply to a consultation was referred to a community elsewhere: look it up, then send it an `Announce` of the reply. */
  | { type: "outcome.referred"; decisionId: string; replyUri: string }
  /** A person or community here changed their profile: their followers get an `Update` of the actor. */
  | { type: "actor.updated"; actorId: number; at: number }
  /** An administrator forwarded a report about content from elsewhere: a Flag goes to its server. */
  | { type: "report.forwarded"; reportId: string }
  /** Due when a consultation reaches its closing time; stale (and ignored) if the time was changed since. */
  | { type: "decision.consultation-due"; decisionId: string; closesAt: number };

/** A membership that began, changed role or ended: of a person here (by id) or elsewhere (by actor URI). */
export interface MemberChange {
  communityId: number;
  member: { personId: number } | { remoteMemberId: string; personUri: string };
  role: Role;
  action: "added" | "role" | "removed";
}

/** The queue that carries domain events, beside Fedify's own. */
export const EVENTS_QUEUE = "events";

/** When an event may be handled: most at once, a consultation's close at its time (epoch ms). */
export function dueAtOf(event: DomainEvent, now: number): number {
  return event.type === "decision.consultation-due" ? Math.max(now, event.closesAt) : now;
}

/**
 * Events about one post are handled in order, so an Update never goes out
 * before its Create; so are a community's membership changes. A consultation's close has no key: waiting for its time,
 * it must not hold back the record's Updates.
 */
export function orderingKeyOf(event: DomainEvent): string | null {
  if ("postId" in event) return `post:${event.postId}`;
  // A community's membership news goes out in the order it happened (a role change never before the welcome).
  if (event.type === "member.changed" || event.type === "member.answered") {
    const communityId = "change" in event ? event.change.communityId : event.communityId;
    return `community:${communityId}:members`;
  }
  // Taken back only after it was sent.
  if (event.type === "reaction.sent" || event.type === "reaction.undone") return `reaction:${event.reactionId}`;
  if (event.type === "follow.requested" || event.type === "follow.undone") return `follow:${event.followingId}`;
  if (event.type === "community.shared") return `shared:${event.postUri}`;
  // A profile's Updates go out in the order they were made, so the last one stands.
  if (event.type === "actor.updated") return `actor:${event.actorId}`;
  // Taken back only after it was shared.
  if (event.type === "community.withdrawn" && "uri" in event.post) return `shared:${event.post.uri}`;
  return null;
}
