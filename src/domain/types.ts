import type { RemoteDecision } from "./decisions.ts";
import type { ReplyPolicy } from "./reply-policy.ts";

/** Records that services pass around; storage maps rows to these. */

export type ActorKind = "person" | "community" | "instance";
export type Role = "admin" | "facilitator" | "member" | "observer";
export type Permission = "publish" | "moderate" | "manage";

/** A link on a profile: a name and where it goes. */
export interface ProfileLink {
  name: string;
  url: string;
}

export interface Actor {
  id: number;
  handle: string;
  kind: ActorKind;
  displayName: string;
  summary: string;
  jobTitle: string | null;
  /** The avatar (a person) or icon (a community): an image uploaded here, by its path. */
  avatarUrl: string | null;
  avatarAlt: string;
  /** A community's longer description, in Markdown (its purpose is the summary). */
  description: string;
  profileLinks: ProfileLink[];
  manuallyApprovesFollowers: boolean;
  /** An instance administrator (people only). */
  isAdmin: boolean;
  /** Communities: who may reply to their posts. */
  replyPolicy: ReplyPolicy;
  createdAt: Date;
  deactivatedAt: Date | null;
}

export interface ActorKeyRecord {
  algorithm: "RSASSA-PKCS1-v1_5" | "Ed25519";
  privateJwk: JsonWebKey;
  publicJwk: JsonWebKey;
}

export interface Membership {
  community: Actor;
  person: Actor;
  role: Role;
}

/**
 * How far a membership across servers has come. `resolving`: the handle typed
 * is being looked up; `invited`: the community asked the person; `requested`:
 * the person asked the community; `active`: both agreed; `failed`: the
 * handle named no one who can be reached.
 */
export type RemoteMembershipState = "resolving" | "invited" | "requested" | "active" | "failed";

/**
 * How an invitation reaches a person elsewhere: an `Invite` for servers that
 * understand it (Connexo), or a direct message they accept by favouriting or
 * answering (Mastodon and the rest).
 */
export type InvitationChannel = "invite" | "message";

/** A person on another server in one of this instance's communities (kept on the community's instance). */
export interface RemoteMember {
  id: string;
  communityId: number;
  /** The handle or actor URI as typed or received. */
  target: string;
  person: RemoteActor | null;
  role: Role;
  state: RemoteMembershipState;
  channel: InvitationChannel | null;
  /** The `Invite`, the invitation message or the `Join` that began it. */
  activityUri: string | null;
  invitedBy: number | null;
  /** When an invitation by message lapses. */
  expiresAt: Date | null;
  createdAt: Date;
}

/** A local person's membership of a community on another server (kept on the person's instance). */
export interface MembershipElsewhere {
  id: string;
  personId: number;
  /** The community's handle or URI as typed or received. */
  target: string;
  community: RemoteActor | null;
  /** The role the community's instance says the person has; it alone decides it. */
  role: Role | null;
  state: RemoteMembershipState;
  /** The `Invite` received or the `Join` sent. */
  activityUri: string | null;
  /** The membership's id on the community's instance. */
  membershipUri: string | null;
  createdAt: Date;
}

export interface RemoteActor {
  id: number;
  uri: string;
  type: string;
  handle: string | null;
  name: string | null;
  url: string | null;
  iconUrl: string | null;
  inbox: string;
  sharedInbox: string | null;
  /** The organisation the actor says it belongs to (a profile field named "Organisation"), if any. */
  organisation: string | null;
}

/** A remote actor as read from its document; `organisation` is left as it was when not given. */
export type RemoteActorInput = Omit<RemoteActor, "id" | "organisation"> & { organisation?: string | null };

/** A follower as delivery needs it. */
export interface FollowerRecipient {
  uri: string;
  inbox: string;
  sharedInbox: string | null;
}

export type FollowingState = "resolving" | "pending" | "accepted" | "rejected" | "failed";

export interface Following {
  id: string;
  actorId: number;
  target: string;
  remoteActor: RemoteActor | null;
  state: FollowingState;
}

/** Weeknotes and decision records are Articles; notes are the replies local people write. */
export type PostKind = "weeknote" | "decision" | "note";
export type PostState = "draft" | "published" | "deleted";

export interface Post {
  id: string;
  kind: PostKind;
  authorId: number;
  communityId: number | null;
  /** A community on another server that the post is published in; its author is a member there. */
  remoteCommunityId: number | null;
  title: string | null;
  isoWeek: string | null;
  summary: string | null;
  bodyMarkdown: string;
  contentHtml: string;
  tags: string[];
  inReplyTo: string | null;
  state: PostState;
  version: number;
  createdAt: Date;
  publishedAt: Date | null;
  updatedAt: Date | null;
  deletedAt: Date | null;
  /** A note answering a post elsewhere: the authorization its author's server gave it, once approved there. */
  replyAuthorization: string | null;
  /** A note answering a post elsewhere: when its author's server refused it. */
  replyRefusedAt: Date | null;
  /** A note a moderator hid (from the thread it answers), and when. */
  hiddenAt: Date | null;
}

/** Shown; held for a moderator; hidden by one; refused by one (never shown, kept so that it stays refused). */
export type ReplyState = "visible" | "held" | "hidden" | "refused";

export interface Reply {
  id: number;
  uri: string;
  postId: string;
  inReplyTo: string;
  author: RemoteActor | null;
  url: string | null;
  contentHtml: string;
  state: ReplyState;
  publishedAt: Date;
  updatedAt: Date | null;
  /** The ReplyRequest it came in, when its author asked first. */
  requestUri: string | null;
  /** Set once approved by a moderator (or its request granted): the id of the ReplyAuthorization served for it. */
  authorizationId: string | null;
  /** Whether it came from another Connexo instance (rather than Mastodon or other software). */
  fromConnexo: boolean;
}

/** A reply from elsewhere as it is stored: shown at once unless held. */
export type NewReply = Omit<Reply, "id" | "author" | "state" | "requestUri" | "authorizationId" | "fromConnexo"> & {
  remoteActorId: number | null;
  state?: Extract<ReplyState, "visible" | "held">;
  requestUri?: string | null;
  fromConnexo?: boolean;
};

/** An account a community's moderators blocked from it. */
export interface CommunityBlock {
  communityId: number;
  actorUri: string;
  /** The account as known here, if it is. */
  account: RemoteActor | null;
  reason: string;
  createdAt: Date;
  createdBy: number | null;
}

/** A post by a member on another server, published in a local community. */
export interface CommunityPost {
  uri: string;
  author: RemoteActor | null;
  name: string | null;
  summary: string | null;
  contentHtml: string;
  url: string | null;
  publishedAt: Date;
  updatedAt: Date | null;
}

export type ReactionKind = "like" | "announce";

export interface RemotePost {
  uri: string;
  author: RemoteActor | null;
  announcedBy: string | null;
  type: string;
  name: string | null;
  summary: string | null;
  contentHtml: string;
  url: string | null;
  inReplyTo: string | null;
  /** The structured record, when this is a decision from another Connexo instance. */
  decision: RemoteDecision | null;
  publishedAt: Date;
  updatedAt: Date | null;
  deletedAt: Date | null;
}

export type RemotePostInput = Omit<RemotePost, "author" | "deletedAt"> & { remoteActorId: number | null };

export interface OutgoingReaction {
  id: string;
  actorId: number;
  objectUri: string;
  kind: ReactionKind;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, or null at the end. */
  next: string | null;
}

/** A signed-in browser, found by the hash of its cookie. */
export interface Session {
  person: Actor;
  csrfToken: string;
  expiresAt: Date;
}

export interface Invitation {
  id: string;
  invitedBy: number;
  note: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedBy: number | null;
}

/** An uploaded image, stored sized down; `alt` describes it for those who cannot see it. */
export interface Media {
  id: string;
  ownerId: number;
  postId: string | null;
  fileName: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
  alt: string;
  position: number;
  createdAt: Date;
}
