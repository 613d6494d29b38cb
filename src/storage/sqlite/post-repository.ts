import { and, count, desc, eq, lt, or } from "drizzle-orm";
import type { DomainEvent } from "../../domain/events.ts";
import type { Post } from "../../domain/types.ts";
import type { PostRepository } from "../repositories.ts";
import type { Drizzle, QueueSignal } from "./database.ts";
import { enqueueEvents } from "./events.ts";
import { decodePostCursor, encodePostCursor } from "../cursors.ts";
import { fromPost, toPost } from "../mappers.ts";
import { posts } from "./schema.ts";

export class SqlitePostRepository implements PostRepository {
  constructor(
    private readonly db: Drizzle,
    private readonly signal: QueueSignal,
  ) {}

  async insert(post: Post, events: DomainEvent[]) {
    this.db.transaction((tx) => {
      tx.insert(posts).values(fromPost(post)).run();
      enqueueEvents(tx, this.signal, events);
    });
  }

  async update(post: Post, events: DomainEvent[]) {
    this.db.transaction((tx) => {
      tx.update(posts).set(fromPost(post)).where(eq(posts.id, post.id)).run();
      enqueueEvents(tx, this.signal, events);
    });
  }

  async findById(id: string) {
    const row = this.db.select().from(posts).where(eq(posts.id, id)).get();
    return row ? toPost(row) : null;
  }

  async listByActor(actorId: number, cursor: string | null, limit: number) {
    const after = decodePostCursor(cursor);
    const byActor = or(eq(posts.authorId, actorId), eq(posts.communityId, actorId));
    const rows = this.db
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
}
