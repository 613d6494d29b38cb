import { and, count, desc, eq, lt, or } from "drizzle-orm";
import type { DomainEvent } from "../../domain/events.ts";
import type { Post } from "../../domain/types.ts";
import { decodePostCursor, encodePostCursor } from "../cursors.ts";
import { fromPost, toPost } from "../mappers.ts";
import type { PostRepository } from "../repositories.ts";
import type { PgDrizzle } from "./database.ts";
import { enqueueEvents } from "./events.ts";
import { posts } from "./schema.ts";

export class PostgresPostRepository implements PostRepository {
  constructor(private readonly db: PgDrizzle) {}

  async insert(post: Post, events: DomainEvent[]) {
    await this.db.transaction(async (tx) => {
      await tx.insert(posts).values(fromPost(post));
      await enqueueEvents(tx, events);
    });
  }

  async update(post: Post, events: DomainEvent[]) {
    await this.db.transaction(async (tx) => {
      await tx.update(posts).set(fromPost(post)).where(eq(posts.id, post.id));
      await enqueueEvents(tx, events);
    });
  }

  async findById(id: string) {
    const [row] = await this.db.select().from(posts).where(eq(posts.id, id));
    return row ? toPost(row) : null;
  }

  async listByActor(actorId: number, cursor: string | null, limit: number) {
    const after = decodePostCursor(cursor);
    const byActor = or(eq(posts.authorId, actorId), eq(posts.communityId, actorId));
    const rows = await this.db
      .select()
      .from(posts)
      .where(
        and(
          byActor,
          eq(posts.state, "published"),
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
}
