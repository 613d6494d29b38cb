import { and, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { DecisionFilter } from "../../domain/decisions.ts";
import {
  emptyStatusCounts,
  fromDecisionFields,
  fromHistoryEntry,
  fromPost,
  supersededIndex,
  toDecision,
  toHistoryEntry,
  type DecisionRow,
  type PostRow,
} from "../mappers.ts";
import type { DecisionChange, DecisionRepository } from "../repositories.ts";
import type { PgDrizzle } from "./database.ts";
import { enqueueEvents } from "./events.ts";
import { decisionHistory, decisions, posts } from "./schema.ts";

type Tx = Parameters<Parameters<PgDrizzle["transaction"]>[0]>[0];

/** The conditions of a register filter; the status only when asked for. */
function filterConditions(filter: DecisionFilter, withStatus: boolean): SQL[] {
  const conditions: SQL[] = [eq(posts.state, "published"), eq(posts.kind, "decision")];
  if (withStatus && filter.status) conditions.push(eq(decisions.status, filter.status));
  if (filter.communityId !== undefined) conditions.push(eq(posts.communityId, filter.communityId));
  if (filter.authorId !== undefined) conditions.push(eq(posts.authorId, filter.authorId));
  if (filter.tag)
    conditions.push(
      sql`exists (select 1 from jsonb_array_elements_text(${posts.tags}) as t(tag) where lower(t.tag) = lower(${filter.tag}))`,
    );
  if (filter.proposedFrom) conditions.push(gte(posts.publishedAt, filter.proposedFrom.getTime()));
  if (filter.proposedBefore) conditions.push(lt(posts.publishedAt, filter.proposedBefore.getTime()));
  return conditions;
}

export class PostgresDecisionRepository implements DecisionRepository {
  constructor(private readonly db: PgDrizzle) {}

  async insert(change: DecisionChange) {
    await this.db.transaction(async (tx) => {
      await tx.insert(posts).values(fromPost(change.post));
      await tx.insert(decisions).values(fromDecisionFields(change.post.id, change.fields));
      await this.finish(tx, change);
    });
  }

  async save(change: DecisionChange, readVersion: number) {
    return this.db.transaction(async (tx) => {
      const updated = await tx
        .update(posts)
        .set(fromPost(change.post))
        .where(and(eq(posts.id, change.post.id), eq(posts.version, readVersion)))
        .returning({ id: posts.id });
      if (updated.length === 0) return false;
      await tx.update(decisions).set(fromDecisionFields(change.post.id, change.fields)).where(eq(decisions.postId, change.post.id));
      await this.finish(tx, change);
      return true;
    });
  }

  private async finish(tx: Tx, change: DecisionChange) {
    await tx.insert(decisionHistory).values(fromHistoryEntry(change.history));
    for (const note of change.notes ?? []) await tx.insert(posts).values(fromPost(note));
    await enqueueEvents(tx, change.events);
  }

  async find(id: string) {
    const [row] = await this.db.select().from(posts).innerJoin(decisions, eq(decisions.postId, posts.id)).where(eq(posts.id, id));
    if (!row) return null;
    const replaced = await this.db.select({ postId: decisions.postId }).from(decisions).where(eq(decisions.supersededBy, id));
    return toDecision(
      row.posts,
      row.decisions as DecisionRow,
      replaced.map((r) => r.postId),
    );
  }

  async history(id: string) {
    const rows = await this.db.select().from(decisionHistory).where(eq(decisionHistory.decisionId, id)).orderBy(decisionHistory.id);
    return rows.map(toHistoryEntry);
  }

  async list(filter: DecisionFilter, limit: number, offset: number) {
    const rows = await this.db
      .select()
      .from(posts)
      .innerJoin(decisions, eq(decisions.postId, posts.id))
      .where(and(...filterConditions(filter, true)))
      .orderBy(desc(decisions.statusChangedAt), desc(posts.id))
      .limit(limit)
      .offset(offset);
    return this.withSupersedes(rows);
  }

  async countByStatus(filter: DecisionFilter) {
    const counts = emptyStatusCounts();
    const rows = await this.db
      .select({ status: decisions.status, n: sql<number>`count(*)` })
      .from(posts)
      .innerJoin(decisions, eq(decisions.postId, posts.id))
      .where(and(...filterConditions(filter, false)))
      .groupBy(decisions.status);
    for (const { status, n } of rows) counts[status] = Number(n);
    return counts;
  }

  async recentHistory(communityId: number | null, limit: number) {
    const entries = await this.db
      .select()
      .from(decisionHistory)
      .innerJoin(posts, eq(posts.id, decisionHistory.decisionId))
      .where(and(eq(posts.state, "published"), communityId === null ? undefined : eq(posts.communityId, communityId)))
      .orderBy(desc(decisionHistory.at), desc(decisionHistory.id))
      .limit(limit);
    const ids = [...new Set(entries.map((e) => e.posts.id))];
    const rows =
      ids.length === 0
        ? []
        : await this.db.select().from(posts).innerJoin(decisions, eq(decisions.postId, posts.id)).where(inArray(posts.id, ids));
    const byId = new Map((await this.withSupersedes(rows)).map((d) => [d.post.id, d]));
    return entries.map((e) => ({ entry: toHistoryEntry(e.decision_history), decision: byId.get(e.posts.id)! }));
  }

  private async withSupersedes(rows: { posts: PostRow; decisions: DecisionRow }[]) {
    const ids = rows.map((r) => r.posts.id);
    const replaced =
      ids.length === 0
        ? []
        : await this.db
            .select({ postId: decisions.postId, supersededBy: decisions.supersededBy })
            .from(decisions)
            .where(inArray(decisions.supersededBy, ids));
    const index = supersededIndex(replaced);
    return rows.map((r) => toDecision(r.posts, r.decisions, index.get(r.posts.id) ?? []));
  }
}
