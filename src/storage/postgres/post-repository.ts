import { and, asc, count, desc, eq, inArray, isNull, lt, notInArray, or, sql } from "drizzle-orm";
import type { DomainEvent } from "../../domain/events.ts";
import type { Post, PostKind } from "../../domain/types.ts";
import { decodePostCursor, encodePostCursor } from "../cursors.ts";
import { fromPost, toPost } from "../mappers.ts";
import type { PostRepository } from "../repositories.ts";
import type { PgDrizzle } from "./database.ts";
import { enqueueEvents } from "./events.ts";
import { media, posts } from "./schema.ts";

type Tx = Parameters<Parameters<PgDrizzle["transaction"]>[0]>[0];

/**
 * Makes the post's images exactly these, in this order: its own, or ones not
 * yet attached to any post (the service checks they are the editor's uploads).
 * (Each update re-checks its condition on the row it locks, so two posts
 * cannot both take the same unattached image.)
 */
async function setPostMedia(tx: Tx, post: Post, mediaIds: string[]) {
  await tx
    .update(media)
    .set({ postId: null })
    .where(and(eq(media.postId, post.id), mediaIds.length > 0 ? notInArray(media.id, mediaIds) : undefined));
  for (const [position, id] of mediaIds.entries()) {
    await tx
      .update(media)
      .set({ postId: post.id, position })
      .where(and(eq(media.id, id), or(eq(media.postId, post.id), isNull(media.postId))));
  }
}

export class PostgresPostRepository implements PostRepository {
  constructor(private readonly db: PgDrizzle) {}

  async insert(post: Post, events: DomainEvent[], mediaIds: string[] = []) {
    await this.db.transaction(async (tx) => {
      await tx.insert(posts).values(fromPost(post));
      await setPostMedia(tx, post, mediaIds);
      await enqueueEvents(tx, events);
    });
  }

  async update(post: Post, events: DomainEvent[], mediaIds?: string[]) {
    await this.db.transaction(async (tx) => {
      await tx.update(posts).set(fromPost(post)).where(eq(posts.id, post.id));
      if (mediaIds) await setPostMedia(tx, post, mediaIds);
      await enqueueEvents(tx, events);
    });
  }

  async findById(id: string) {
    const [row] = await this.db.select().from(posts).where(eq(posts.id, id));
    return row ? toPost(row) : null;
  }

  async listByActor(actorId: number, cursor: string | null, limit: number, kinds?: PostKind[]) {
    const after = decodePostCursor(cursor);
    const byActor = or(eq(posts.authorId, actorId), eq(posts.communityId, actorId));
    const rows = await this.db
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
      .limit(limit + 1);
    const items = rows.slice(0, limit).map(toPost);
    const last = items.at(-1);
    return { items, next: rows.length > limit && last ? encodePostCursor(last.publishedAt!, last.id) : null };
  }

  async countByActor(actorId: number) {
    const [row] = await this.db
      .select({ n: count() })
      .from(posts)
      .where(and(or(eq(posts.authorId, actorId), eq(posts.communityId, actorId)), eq(posts.state, "published")));
    return row?.n ?? 0;
  }

  async listRecent(limit: number) {
    const rows = await this.db
      .select()
      .from(posts)
      .where(and(eq(posts.state, "published"), eq(posts.kind, "weeknote")))
      .orderBy(desc(posts.publishedAt))
      .limit(limit);
    return rows.map(toPost);
  }

  async listByTag(tag: string, limit: number) {
    const rows = await this.db
      .select()
      .from(posts)
      .where(and(eq(posts.state, "published"), eq(posts.kind, "weeknote"), sql`${posts.tags} @> jsonb_build_array(${tag}::text)`))
      .orderBy(desc(posts.publishedAt))
      .limit(limit);
    return rows.map(toPost);
  }

  async listDrafts(authorId: number) {
    const rows = await this.db
      .select()
      .from(posts)
      .where(and(eq(posts.authorId, authorId), eq(posts.state, "draft")))
      .orderBy(desc(posts.createdAt));
    return rows.map(toPost);
  }

  async listNotesReplyingTo(urls: string[]) {
    if (urls.length === 0) return [];
    const rows = await this.db
      .select()
      .from(posts)
      .where(and(eq(posts.kind, "note"), eq(posts.state, "published"), inArray(posts.inReplyTo, urls)))
      .orderBy(asc(posts.publishedAt));
    return rows.map(toPost);
  }
}
