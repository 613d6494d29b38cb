import { and, asc, count, desc, eq, inArray, isNotNull, isNull, lt, notInArray, or, type SQL, sql } from "drizzle-orm";
import type { Post } from "../../domain/types.ts";
import { decodePostCursor, encodePostCursor } from "../cursors.ts";
import { fromPost, toPost } from "../mappers.ts";
import type { PostRepository } from "../repositories.ts";
import { enqueueEvents } from "./events.ts";
import { keyset } from "./keyset.ts";
import { prepared, rowsWhere } from "./prepared.ts";
import type { Unit } from "./unit.ts";

/**
 * Makes the post's images exactly these, in this order: its own, or ones not
 * yet attached to any post (the service checks they are the editor's uploads).
 * Each update re-checks its condition on the row it changes, so two posts
 * cannot both take the same unattached image.
 */
async function setPostMedia(tx: Unit, post: Post, mediaIds: string[]) {
  const { media } = tx.tables;
  await tx.db
    .update(media)
    .set({ postId: null })
    .where(and(eq(media.postId, post.id), mediaIds.length > 0 ? notInArray(media.id, mediaIds) : undefined));
  for (const [position, id] of mediaIds.entries()) {
    await tx.db
      .update(media)
      .set({ postId: post.id, position })
      .where(and(eq(media.id, id), or(eq(media.postId, post.id), isNull(media.postId))));
  }
}

export function postRepository(unit: Unit): PostRepository {
  const { db } = unit;
  const { posts } = unit.tables;

  return {
    async insert(post, events, mediaIds = []) {
      await unit.transaction(async (tx) => {
        await tx.db.insert(posts).values(fromPost(post));
        await setPostMedia(tx, post, mediaIds);
        await enqueueEvents(tx, events);
      });
    },

    async update(post, events, mediaIds) {
      await unit.transaction(async (tx) => {
        await tx.db.update(posts).set(fromPost(post)).where(eq(posts.id, post.id));
        if (mediaIds) await setPostMedia(tx, post, mediaIds);
        await enqueueEvents(tx, events);
      });
    },

    async setReplyAnswer(id, answer) {
      const set =
        "authorization" in answer
          ? { replyAuthorization: answer.authorization, replyRefusedAt: null }
          : { replyAuthorization: null, replyRefusedAt: answer.refusedAt.getTime() };
      const changed = await unit.write((db) => db.update(posts).set(set).where(eq(posts.id, id)).returning({ id: posts.id }));
      return changed.length > 0;
    },

    async findById(id) {
      const [row] = await rowsWhere(db, "post_by_id", posts, posts.id).execute({ value: id });
      return row ? toPost(row) : null;
    },

    async findByIds(ids) {
      if (ids.length === 0) return [];
      return (await db.select().from(posts).where(inArray(posts.id, ids))).map(toPost);
    },

    async listByActor(actorId, cursor, limit, kinds) {
      const after = decodePostCursor(cursor);
      // By it or in it: one query each, as pageByActor reads them.
      const read = (byActor: SQL) =>
        db
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
      const lists = await Promise.all([read(eq(posts.authorId, actorId)), read(eq(posts.communityId, actorId))]);
      const rows = keyset(posts.publishedAt, posts.id, null, limit).merge(lists, (r) => [r.publishedAt!, r.id]);
      const items = rows.slice(0, limit).map(toPost);
      const last = items.at(-1);
      return { items, next: rows.length > limit && last ? encodePostCursor(last.publishedAt!, last.id) : null };
    },

    async countByActor(actorId) {
      const [row] = await db
        .select({ n: count() })
        .from(posts)
        .where(and(or(eq(posts.authorId, actorId), eq(posts.communityId, actorId)), eq(posts.state, "published")));
      return row?.n ?? 0;
    },

    async listRecent(limit) {
      const rows = await db
        .select()
        .from(posts)
        .where(and(eq(posts.state, "published"), eq(posts.kind, "weeknote")))
        .orderBy(desc(posts.publishedAt), desc(posts.id))
        .limit(limit);
      return rows.map(toPost);
    },

    async pageRecent(at, limit) {
      const page = keyset(posts.publishedAt, posts.id, at, limit);
      const rows = await db
        .select()
        .from(posts)
        .where(and(eq(posts.state, "published"), eq(posts.kind, "weeknote"), page.where))
        .orderBy(...page.orderBy)
        .limit(limit + 1);
      return page.page(rows, (r) => [r.publishedAt!, r.id], toPost);
    },

    async pageByActor(actorId, at, limit, kinds) {
      const page = keyset(posts.publishedAt, posts.id, at, limit);
      // By it or in it: one query each, so that each reads its page from its own index rather than sorting all the actor's posts.
      const read = (byActor: SQL) =>
        db
          .select()
          .from(posts)
          .where(and(byActor, eq(posts.state, "published"), kinds ? inArray(posts.kind, kinds) : undefined, page.where))
          .orderBy(...page.orderBy)
          .limit(limit + 1);
      const lists = await Promise.all([read(eq(posts.authorId, actorId)), read(eq(posts.communityId, actorId))]);
      const position = (r: (typeof lists)[number][number]): [number, string] => [r.publishedAt!, r.id];
      return page.page(page.merge(lists, position), position, toPost);
    },

    async pageByTag(tag, at, limit) {
      const page = keyset(posts.publishedAt, posts.id, at, limit);
      const rows = await db
        .select()
        .from(posts)
        .where(and(eq(posts.state, "published"), eq(posts.kind, "weeknote"), unit.dialect.jsonArrayHas(posts.tags, tag), page.where))
        .orderBy(...page.orderBy)
        .limit(limit + 1);
      return page.page(rows, (r) => [r.publishedAt!, r.id], toPost);
    },

    async listByTag(tag, limit) {
      const rows = await db
        .select()
        .from(posts)
        .where(and(eq(posts.state, "published"), eq(posts.kind, "weeknote"), unit.dialect.jsonArrayHas(posts.tags, tag)))
        .orderBy(desc(posts.publishedAt), desc(posts.id))
        .limit(limit);
      return rows.map(toPost);
    },

    async listDrafts(authorId) {
      const rows = await db
        .select()
        .from(posts)
        .where(and(eq(posts.authorId, authorId), eq(posts.state, "draft")))
        .orderBy(desc(posts.createdAt));
      return rows.map(toPost);
    },

    async listNotesReplyingTo(urls, withHidden = false) {
      if (urls.length === 0) return [];
      const query = prepared(db, withHidden ? "notes_replying_to_with_hidden" : "notes_replying_to", (db, name) =>
        db
          .select()
          .from(posts)
          .where(
            and(
              eq(posts.kind, "note"),
              eq(posts.state, "published"),
              unit.dialect.inListParameter(posts.inReplyTo, sql.placeholder("urls")),
              withHidden ? undefined : isNull(posts.hiddenAt),
            ),
          )
          .orderBy(asc(posts.publishedAt))
          .prepare(name),
      );
      return (await query.execute({ urls: unit.dialect.listParameter(urls) })).map(toPost);
    },

    async setHidden(id, at) {
      const hidden = at === null ? isNotNull(posts.hiddenAt) : isNull(posts.hiddenAt);
      const changed = await unit.write((db) =>
        db
          .update(posts)
          .set({ hiddenAt: at?.getTime() ?? null })
          .where(and(eq(posts.id, id), eq(posts.kind, "note"), hidden))
          .returning({ id: posts.id }),
      );
      return changed.length > 0;
    },
  };
}
