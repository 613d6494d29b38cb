import { and, asc, eq, inArray, isNull, lt } from "drizzle-orm";
import type { Media } from "../../domain/types.ts";
import { toMedia } from "../mappers.ts";
import type { MediaRepository } from "../repositories.ts";
import type { PgDrizzle } from "./database.ts";
import { media } from "./schema.ts";

export class PostgresMediaRepository implements MediaRepository {
  constructor(private readonly db: PgDrizzle) {}

  async create(item: Omit<Media, "createdAt" | "postId" | "position">) {
    const [row] = await this.db.insert(media).values(item).returning();
    return toMedia(row!);
  }

  async find(id: string) {
    const [row] = await this.db.select().from(media).where(eq(media.id, id));
    return row ? toMedia(row) : null;
  }

  async findByFileName(fileName: string) {
    const [row] = await this.db.select().from(media).where(eq(media.fileName, fileName));
    return row ? toMedia(row) : null;
  }

  async forPost(postId: string) {
    return this.forPosts([postId]);
  }

  async forPosts(postIds: string[]) {
    if (postIds.length === 0) return [];
    const rows = await this.db.select().from(media).where(inArray(media.postId, postIds)).orderBy(asc(media.postId), asc(media.position));
    return rows.map(toMedia);
  }

  async deleteUnattached(uploadedBefore: Date) {
    const rows = await this.db
      .delete(media)
      .where(and(isNull(media.postId), lt(media.createdAt, uploadedBefore.getTime())))
      .returning();
    return rows.map(toMedia);
  }
}
