import { and, asc, count, desc, eq, inArray, isNull, lt, notInArray, or, sql } from "drizzle-orm";
import type { DomainEvent } from "../../domain/events.ts";
import type { Post, PostKind } from "../../domain/types.ts";
import type { PostRepository } from "../repositories.ts";
import type { Drizzle, QueueSignal } from "./database.ts";
import { enqueueEvents } from "./events.ts";
import { decodePostCursor, encodePostCursor } from "../cursors.ts";
import { fromPost, toPost } from "../mappers.ts";
import { media, posts } from "./schema.ts";

type Tx = Parameters<Parameters<Drizzle["transaction"]>[0]>[0];

/**
 * Makes the post's images exactly these, in this order: its own, or ones not
 * yet attached to any post (the service checks they are the editor's uploads).
 */
function setPostMedia(tx: Tx, post: Post, mediaIds: string[]) {
  tx.update(media)
    .set({ postId: null })
    .where(and(eq(media.postId, post.id), mediaIds.length > 0 ? notInArray(media.id, mediaIds) : undefined))
    .run();
  mediaIds.forEach((id, position) => {
    tx.update(media)
      .set({ postId: post.id, position })
      .where(and(eq(media.id, id), or(eq(media.postId, post.id), isNull(media.postId))))
      .run();
  });
}

export class SqlitePostRepository implements PostRepository {
  constructor(
    private readonly db: Drizzle,
    private readonly signal: QueueSignal,
  ) {}

  async insert(post: Post, events: DomainEvent[], mediaIds: string[] = []) {
    this.db.transaction((tx) => {
      tx.insert(posts).values(fromPost(post)).run();
      setPostMedia(tx, post, mediaIds);
      enqueueEvents(tx, this.signal, events);
    });
  }

  async update(post: Post, events: DomainEvent[], mediaIds?: string[]) {
    this.db.transaction((tx) => {
      tx.update(posts).set(fromPost(post)).where(eq(posts.id, post.id)).run();
      if (mediaIds) setPostMedia(tx, post, mediaIds);
      enqueueEvents(tx, this.signal, events);
    });
  }

  async findById(id: string) {
    const row = this.db.select().from(posts).where(eq(posts.id, id)).get();
    return row ? toPost(row) : null;
  }

  async listByActor(actorId: number, cursor: string | null, limit: number, kinds?: PostKind[]) {
    const after = decodePostCursor(cursor);
    const byActor = or(eq(posts.authorId, actorId), eq(posts.communityId, actorId));
    const rows = this.db
      .select()
      .from(posts)
      .where(
        and(
          byActor,
          eq(posts.state, "published"),
          kinds ? inArray(posts.kind, kinds) : undefined,
          after ? or(lt(posts.publishedAt, after[0]), and(eq(posts.publishedAt, after[0]), lt(posts.id, after[1]))) : undefined,
        ),
      )
      .orderBy(desc(posts.publishedAt), desc(posts.id))
      .limit(limit + 1)
      .all();
    const items = rows.slice(0, limit).map(toPost);
    const last = items.at(-1);
    return { items, next: rows.length > limit && last ? encodePostCursor(last.publishedAt!, last.id) : null };
  }

  async countByActor(actorId: number) {
    return (
      this.db
        .select({ n: count() })
        .from(posts)
        .where(and(or(eq(posts.authorId, actorId), eq(posts.communityId, actorId)), eq(posts.state, "published")))
        .get()?.n ?? 0
    );
  }

  async listRecent(limit: number) {
    return this.db
      .select()
      .from(posts)
      .where(and(eq(posts.state, "published"), eq(posts.kind, "weeknote")))
      .orderBy(desc(posts.publishedAt))
      .limit(limit)
      .all()
      .map(toPost);
  }

  async listByTag(tag: string, limit: number) {
    return this.db
      .select()
      .from(posts)
      .where(
        and(
          eq(posts.state, "published"),
          eq(posts.kind, "weeknote"),
          sql`exists (select 1 from json_each(${posts.tags}) where json_each.value = ${tag})`,
        ),
      )
      .orderBy(desc(posts.publishedAt))
      .limit(limit)
      .all()
      .map(toPost);
  }

  async listDrafts(authorId: number) {
    return this.db
      .select()
      .from(posts)
      .where(and(eq(posts.authorId, authorId), eq(posts.state, "draft")))
      .orderBy(desc(posts.createdAt))
      .all()
      .map(toPost);
  }

  async listNotesReplyingTo(urls: string[]) {
    if (urls.length === 0) return [];
    return this.db
      .select()
      .from(posts)
      .where(and(eq(posts.kind, "note"), eq(posts.state, "published"), inArray(posts.inReplyTo, urls)))
      .orderBy(asc(posts.publishedAt))
      .all()
      .map(toPost);
  }
}
