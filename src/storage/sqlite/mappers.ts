import type { Actor, Post, RemoteActor } from "../../domain/types.ts";
import type { actors, posts, remoteActors } from "./schema.ts";

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

export function toActor(row: typeof actors.$inferSelect): Actor {
  return {
    id: row.id,
    handle: row.handle,
    kind: row.kind,
    displayName: row.displayName,
    summary: row.summary,
    jobTitle: row.jobTitle,
    avatarUrl: row.avatarUrl,
    manuallyApprovesFollowers: row.manuallyApprovesFollowers,
    createdAt: new Date(row.createdAt),
    deactivatedAt: date(row.deactivatedAt),
  };
}

export function toRemoteActor(row: typeof remoteActors.$inferSelect): RemoteActor {
  const { updatedAt: _updatedAt, ...rest } = row;
  return rest;
}

export function toPost(row: typeof posts.$inferSelect): Post {
  return {
    ...row,
    createdAt: new Date(row.createdAt),
    publishedAt: date(row.publishedAt),
    updatedAt: date(row.updatedAt),
    deletedAt: date(row.deletedAt),
  };
}

export function fromPost(post: Post): typeof posts.$inferInsert {
  return {
    ...post,
    createdAt: post.createdAt.getTime(),
    publishedAt: post.publishedAt?.getTime() ?? null,
    updatedAt: post.updatedAt?.getTime() ?? null,
    deletedAt: post.deletedAt?.getTime() ?? null,
  };
}

export { date as toDate };
