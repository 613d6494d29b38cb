import type { RemoteDecision } from "./decisions.ts";

/** Records that services pass around; storage maps rows to these. */

export type ActorKind = "person" | "community" | "instance";
export type Role = "admin" | "facilitator" | "member" | "observer";
export type Permission = "publish" | "moderate" | "manage";

export interface Actor {
  id: number;
  handle: string;
  kind: ActorKind;
  displayName: string;
  summary: string;
  jobTitle: string | null;
  avatarUrl: string | null;
  manuallyApprovesFollowers: boolean;
  /** An instance administrator (people only). */
  isAdmin: boolean;
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
}

export type RemoteActorInput = Omit<RemoteActor, "id">;

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
}

export type ReplyState = "visible" | "held" | "hidden";

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
