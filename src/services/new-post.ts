import { randomUUID } from "node:crypto";
import type { Post } from "../domain/types.ts";

type PostFields = Pick<Post, "kind" | "authorId" | "bodyMarkdown" | "contentHtml"> &
  Partial<Pick<Post, "id" | "communityId" | "remoteCommunityId" | "title" | "isoWeek" | "summary" | "tags" | "inReplyTo" | "state">>;

/** A new post, with the bookkeeping filled in: version 1, made `now`, and published then unless it is a draft. */
export function newPost(fields: PostFields, now: Date): Post {
  const state = fields.state ?? "published";
  return {
    id: randomUUID(),
    communityId: null,
    remoteCommunityId: null,
    title: null,
    isoWeek: null,
    summary: null,
    tags: [],
    inReplyTo: null,
    version: 1,
    createdAt: now,
    publishedAt: state === "published" ? now : null,
    updatedAt: null,
    deletedAt: null,
    replyAuthorization: null,
    replyRefusedAt: null,
    hiddenAt: null,
    ...fields,
    state,
  };
}

/** A new, published note (a reply) by a local actor. */
export function newNote(note: { authorId: number; inReplyTo: string; bodyMarkdown: string; contentHtml: string }, now: Date): Post {
  return newPost({ kind: "note", ...note }, now);
}
