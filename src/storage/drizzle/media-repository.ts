import { and, asc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { mediaPath } from "../../domain/urls.ts";
import { toMedia } from "../mappers.ts";
import type { MediaRepository } from "../repositories.ts";
import { prepared } from "./prepared.ts";
import type { Unit } from "./unit.ts";

export function mediaRepository(unit: Unit): MediaRepository {
  const { db } = unit;
  const { actors, media } = unit.tables;

  async function forPosts(postIds: string[]) {
    if (postIds.length === 0) return [];
    const rows = await db.select().from(media).where(inArray(media.postId, postIds)).orderBy(asc(media.postId), asc(media.position));
    return rows.map(toMedia);
  }

  return {
    async create(item) {
      const [row] = await unit.write((db) => db.insert(media).values(item).returning());
      return toMedia(row!);
    },

    async find(id) {
      const [row] = await db.select().from(media).where(eq(media.id, id));
      return row ? toMedia(row) : null;
    },

    async findByIds(ids) {
      if (ids.length === 0) return [];
      return (await db.select().from(media).where(inArray(media.id, ids))).map(toMedia);
    },

    async findByFileName(fileName) {
      const [row] = await db.select().from(media).where(eq(media.fileName, fileName));
      return row ? toMedia(row) : null;
    },

    async forPost(postId) {
      const query = prepared(db, "media_for_post", (db, name) =>
        db
          .select()
          .from(media)
          .where(eq(media.postId, sql.placeholder("postId")))
          .orderBy(asc(media.position))
          .prepare(name),
      );
      return (await query.execute({ postId })).map(toMedia);
    },
    forPosts,

    async deleteUnattached(uploadedBefore) {
      const rows = await unit.write((db) =>
        db
          .delete(media)
          .where(
            and(
              isNull(media.postId),
              lt(media.createdAt, uploadedBefore.getTime()),
              // An avatar or a community's icon is no post's, and stays while a profile shows it.
              sql`not exists (select 1 from ${actors} where ${actors.avatarUrl} = ${mediaPath("")} || ${media.fileName})`,
            ),
          )
          .returning(),
      );
      return rows.map(toMedia);
    },
  };
}
