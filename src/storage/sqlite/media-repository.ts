import { and, asc, eq, inArray, isNull, lt } from "drizzle-orm";
import type { Media } from "../../domain/types.ts";
import { toMedia } from "../mappers.ts";
import type { MediaRepository } from "../repositories.ts";
import type { Drizzle } from "./database.ts";
import { media } from "./schema.ts";

export class SqliteMediaRepository implements MediaRepository {
  constructor(private readonly db: Drizzle) {}

  async create(item: Omit<Media, "createdAt" | "postId" | "position">) {
    return toMedia(this.db.insert(media).values(item).returning().get());
  }

  async find(id: string) {
    const row = this.db.select().from(media).where(eq(media.id, id)).get();
    return row ? toMedia(row) : null;
  }

  async findByFileName(fileName: string) {
    const row = this.db.select().from(media).where(eq(media.fileName, fileName)).get();
    return row ? toMedia(row) : null;
  }

  async forPost(postId: string) {
    return this.forPosts([postId]);
  }

  async forPosts(postIds: string[]) {
    if (postIds.length === 0) return [];
    return this.db
      .select()
      .from(media)
      .where(inArray(media.postId, postIds))
      .orderBy(asc(media.postId), asc(media.position))
      .all()
      .map(toMedia);
  }

  async deleteUnattached(uploadedBefore: Date) {
    return this.db
      .delete(media)
      .where(and(isNull(media.postId), lt(media.createdAt, uploadedBefore.getTime())))
      .returning()
      .all()
      .map(toMedia);
  }
}
