import {
  DECISION_STATUSES,
  type Decision,
  type DecisionFields,
  type DecisionHistoryEntry,
  type DecisionStatus,
  type NewHistoryEntry,
} from "../domain/decisions.ts";
import type { ReplyPolicy } from "../domain/reply-policy.ts";
import type {
  ProfileLink,
  Actor,
  ActorKeyRecord,
  ActorKind,
  Invitation,
  Media,
  Following,
  FollowingState,
  Post,
  RemoteActor,
  RemotePost,
  Reply,
  ReplyState,
} from "../domain/types.ts";

/**
 * Rows as both dialects read them (times in milliseconds since the epoch),
 * and their mapping to and from domain records. The types are structural so
 * that SQLite's and PostgreSQL's tables, whose columns are the same, share
 * these functions.
 */

export interface ActorRow {
  id: number;
  handle: string;
  kind: ActorKind;
  displayName: string;
  summary: string;
  jobTitle: string | null;
  avatarUrl: string | null;
  avatarAlt: string;
  description: string;
  profileLinks: ProfileLink[];
  manuallyApprovesFollowers: boolean;
  isAdmin: boolean;
  replyPolicy: ReplyPolicy;
  createdAt: number;
  deactivatedAt: number | null;
}

export interface ActorKeyRow {
  algorithm: ActorKeyRecord["algorithm"];
  privateJwk: string;
  publicJwk: string;
}

export type RemoteActorRow = RemoteActor & { updatedAt: number };

export interface FollowingRow {
  id: string;
  actorId: number;
  target: string;
  state: FollowingState;
}

type Times<K extends string> = { [P in K]: number | null };

export type PostRow = Omit<Post, "createdAt" | "publishedAt" | "updatedAt" | "deletedAt" | "replyRefusedAt" | "hiddenAt"> &
  Times<"publishedAt" | "updatedAt" | "deletedAt" | "replyRefusedAt" | "hiddenAt"> & { createdAt: number };

export interface ReplyRow {
  id: number;
  uri: string;
  postId: string;
  inReplyTo: string;
  url: string | null;
  contentHtml: string;
  state: ReplyState;
  publishedAt: number;
  updatedAt: number | null;
  requestUri: string | null;
  authorizationId: string | null;
  fromConnexo: boolean;
}

export type RemotePostRow = Omit<RemotePost, "author" | "publishedAt" | "updatedAt" | "deletedAt"> &
  Times<"updatedAt" | "deletedAt"> & { publishedAt: number };

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

export function toActor(row: ActorRow): Actor {
  return {
    id: row.id,
    handle: row.handle,
    kind: row.kind,
    displayName: row.displayName,
    summary: row.summary,
    jobTitle: row.jobTitle,
    avatarUrl: row.avatarUrl,
    avatarAlt: row.avatarAlt,
    description: row.description,
    profileLinks: row.profileLinks,
    manuallyApprovesFollowers: row.manuallyApprovesFollowers,
    isAdmin: row.isAdmin,
    replyPolicy: row.replyPolicy,
    createdAt: new Date(row.createdAt),
    deactivatedAt: date(row.deactivatedAt),
  };
}

export function toKeyRecord(row: ActorKeyRow): ActorKeyRecord {
  return {
    algorithm: row.algorithm,
    privateJwk: JSON.parse(row.privateJwk) as JsonWebKey,
    publicJwk: JSON.parse(row.publicJwk) as JsonWebKey,
  };
}

export function fromKeyRecord(actorId: number, key: ActorKeyRecord): ActorKeyRow & { actorId: number } {
  return { actorId, algorithm: key.algorithm, privateJwk: JSON.stringify(key.privateJwk), publicJwk: JSON.stringify(key.publicJwk) };
}

export function toRemoteActor(row: RemoteActorRow): RemoteActor {
  const { updatedAt: _updatedAt, ...rest } = row;
  return rest;
}

/** A following joined (left) with the remote actor it resolved to. */
export function toFollowing(row: { followings: FollowingRow; remote_actors: RemoteActorRow | null }): Following {
  const f = row.followings;
  return {
    id: f.id,
    actorId: f.actorId,
    target: f.target,
    state: f.state,
    remoteActor: row.remote_actors ? toRemoteActor(row.remote_actors) : null,
  };
}

export function toPost(row: PostRow): Post {
  return {
    ...row,
    createdAt: new Date(row.createdAt),
    publishedAt: date(row.publishedAt),
    updatedAt: date(row.updatedAt),
    deletedAt: date(row.deletedAt),
    replyRefusedAt: date(row.replyRefusedAt),
    hiddenAt: date(row.hiddenAt),
  };
}

export function fromPost(post: Post): PostRow {
  return {
    ...post,
    createdAt: post.createdAt.getTime(),
    publishedAt: post.publishedAt?.getTime() ?? null,
    updatedAt: post.updatedAt?.getTime() ?? null,
    deletedAt: post.deletedAt?.getTime() ?? null,
    replyRefusedAt: post.replyRefusedAt?.getTime() ?? null,
    hiddenAt: post.hiddenAt?.getTime() ?? null,
  };
}

/** A reply joined (left) with its author. */
export function toReply({ replies: r, remote_actors: author }: { replies: ReplyRow; remote_actors: RemoteActorRow | null }): Reply {
  return {
    id: r.id,
    uri: r.uri,
    postId: r.postId,
    inReplyTo: r.inReplyTo,
    author: author ? toRemoteActor(author) : null,
    url: r.url,
    contentHtml: r.contentHtml,
    state: r.state,
    publishedAt: new Date(r.publishedAt),
    updatedAt: date(r.updatedAt),
    requestUri: r.requestUri,
    authorizationId: r.authorizationId,
    fromConnexo: r.fromConnexo,
  };
}

/** An incoming reply or remote post with its times in milliseconds, for writing. */
export function withMillis<T extends { publishedAt: Date; updatedAt: Date | null }>(record: T) {
  return { ...record, publishedAt: record.publishedAt.getTime(), updatedAt: record.updatedAt?.getTime() ?? null };
}

/** A remote post joined (left) with its author. */
export function toRemotePost(row: { remote_posts: RemotePostRow; remote_actors: RemoteActorRow | null }): RemotePost {
  const p = row.remote_posts;
  return {
    uri: p.uri,
    author: row.remote_actors ? toRemoteActor(row.remote_actors) : null,
    announcedBy: p.announcedBy,
    type: p.type,
    name: p.name,
    summary: p.summary,
    contentHtml: p.contentHtml,
    url: p.url,
    inReplyTo: p.inReplyTo,
    decision: p.decision ?? null,
    publishedAt: new Date(p.publishedAt),
    updatedAt: date(p.updatedAt),
    deletedAt: date(p.deletedAt),
  };
}

export interface InvitationRow {
  id: string;
  invitedBy: number;
  note: string;
  createdAt: number;
  expiresAt: number;
  acceptedAt: number | null;
  acceptedBy: number | null;
}

export function toInvitation(row: InvitationRow): Invitation {
  return { ...row, createdAt: new Date(row.createdAt), expiresAt: new Date(row.expiresAt), acceptedAt: date(row.acceptedAt) };
}

export type MediaRow = Omit<Media, "createdAt"> & { createdAt: number };

export function toMedia(row: MediaRow): Media {
  return { ...row, createdAt: new Date(row.createdAt) };
}

export type DecisionRow = Omit<DecisionFields, "consultationClosesAt" | "decidedAt" | "statusChangedAt"> &
  Times<"consultationClosesAt" | "decidedAt"> & { postId: string; statusChangedAt: number };

export function toDecision(post: PostRow, row: DecisionRow, supersedes: string[]): Decision {
  const { postId: _postId, ...fields } = row;
  return {
    ...fields,
    consultationClosesAt: date(row.consultationClosesAt),
    decidedAt: date(row.decidedAt),
    statusChangedAt: new Date(row.statusChangedAt),
    post: toPost(post),
    supersedes,
  };
}

export function fromDecisionFields(postId: string, fields: DecisionFields): DecisionRow {
  return {
    ...fields,
    postId,
    consultationClosesAt: fields.consultationClosesAt?.getTime() ?? null,
    decidedAt: fields.decidedAt?.getTime() ?? null,
    statusChangedAt: fields.statusChangedAt.getTime(),
  };
}

export type HistoryRow = Omit<DecisionHistoryEntry, "at"> & { at: number };

export const toHistoryEntry = (row: HistoryRow): DecisionHistoryEntry => ({ ...row, at: new Date(row.at) });
export const fromHistoryEntry = (entry: NewHistoryEntry): Omit<HistoryRow, "id"> => ({ ...entry, at: entry.at.getTime() });

/** Which supersededBy values name each record: the records it replaced. */
export function supersededIndex(rows: { postId: string; supersededBy: string | null }[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const { postId, supersededBy } of rows) {
    if (supersededBy) index.set(supersededBy, [...(index.get(supersededBy) ?? []), postId]);
  }
  return index;
}

export const emptyStatusCounts = (): Record<DecisionStatus, number> =>
  Object.fromEntries(DECISION_STATUSES.map((status) => [status, 0])) as Record<DecisionStatus, number>;
