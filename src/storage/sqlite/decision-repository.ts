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
import type { Drizzle, QueueSignal } from "./database.ts";
import { enqueueEvents } from "./events.ts";
import { decisionHistory, decisions, posts } from "./schema.ts";

/** The conditions of a register filter; the status only when asked for. */
function filterConditions(filter: DecisionFilter, withStatus: boolean): SQL[] {
  const conditions: SQL[] = [eq(posts.state, "published"), eq(posts.kind, "decision")];
  if (withStatus && filter.status) conditions.push(eq(decisions.status, filter.status));
  if (filter.communityId !== undefined) conditions.push(eq(posts.communityId, filter.communityId));
  if (filter.authorId !== undefined) conditions.push(eq(posts.authorId, filter.authorId));
  if (filter.tag) conditions.push(sql`exists (select 1 from json_each(${posts.tags}) where lower(json_each.value) = lower(${filter.tag}))`);
  if (filter.proposedFrom) conditions.push(gte(posts.publishedAt, filter.proposedFrom.getTime()));
  if (filter.proposedBefore) conditions.push(lt(posts.publishedAt, filter.proposedBefore.getTime()));
  return conditions;
}

export class SqliteDecisionRepository implements DecisionRepository {
  constructor(
    private readonly db: Drizzle,
    private readonly signal: QueueSignal,
  ) {}

  async insert(change: DecisionChange) {
    this.db.transaction((tx) => {
      tx.insert(posts).values(fromPost(change.post)).run();
      tx.insert(decisions).values(fromDecisionFields(change.post.id, change.fields)).run();
      this.finish(tx, change);
    });
  }

  async save(change: DecisionChange, readVersion: number) {
    return this.db.transaction((tx) => {
      const updated = tx
        .update(posts)
        .set(fromPost(change.post))
        .where(and(eq(posts.id, change.post.id), eq(posts.version, readVersion)))
        .returning({ id: posts.id })
        .all();
      if (updated.length === 0) return false;
      tx.update(decisions).set(fromDecisionFields(change.post.id, change.fields)).where(eq(decisions.postId, change.post.id)).run();
      this.finish(tx, change);
      return true;
    });
  }

  private finish(tx: Parameters<Parameters<Drizzle["transaction"]>[0]>[0], change: DecisionChange) {
    tx.insert(decisionHistory).values(fromHistoryEntry(change.history)).run();
    for (const note of change.notes ?? []) tx.insert(posts).values(fromPost(note)).run();
    enqueueEvents(tx, this.signal, change.events);
  }

  async find(id: string) {
    const row = this.db.select().from(posts).innerJoin(decisions, eq(decisions.postId, posts.id)).where(eq(posts.id, id)).get();
    if (!row) return null;
    const replaced = this.db.select({ postId: decisions.postId }).from(decisions).where(eq(decisions.supersededBy, id)).all();
    return toDecision(
      row.posts,
      row.decisions as DecisionRow,
      replaced.map((r) => r.postId),
    );
  }

  async history(id: string) {
    return this.db
      .select()
      .from(decisionHistory)
      .where(eq(decisionHistory.decisionId, id))
      .orderBy(decisionHistory.id)
      .all()
      .map(toHistoryEntry);
  }

  async list(filter: DecisionFilter, limit: number, offset: number) {
    const rows = this.db
      .select()
      .from(posts)
      .innerJoin(decisions, eq(decisions.postId, posts.id))
      .where(and(...filterConditions(filter, true)))
      .orderBy(desc(decisions.statusChangedAt), desc(posts.id))
      .limit(limit)
      .offset(offset)
      .all();
    return this.withSupersedes(rows);
  }

  async countByStatus(filter: DecisionFilter) {
    const counts = emptyStatusCounts();
    const rows = this.db
      .select({ status: decisions.status, n: sql<number>`count(*)` })
      .from(posts)
      .innerJoin(decisions, eq(decisions.postId, posts.id))
      .where(and(...filterConditions(filter, false)))
      .groupBy(decisions.status)
      .all();
    for (const { status, n } of rows) counts[status] = Number(n);
    return counts;
  }

  async recentHistory(communityId: number | null, limit: number) {
    const entries = this.db
      .select()
      .from(decisionHistory)
      .innerJoin(posts, eq(posts.id, decisionHistory.decisionId))
      .where(and(eq(posts.state, "published"), communityId === null ? undefined : eq(posts.communityId, communityId)))
      .orderBy(desc(decisionHistory.at), desc(decisionHistory.id))
      .limit(limit)
      .all();
    const ids = [...new Set(entries.map((e) => e.posts.id))];
    const rows =
      ids.length === 0
        ? []
        : this.db.select().from(posts).innerJoin(decisions, eq(decisions.postId, posts.id)).where(inArray(posts.id, ids)).all();
    const byId = new Map((await this.withSupersedes(rows)).map((d) => [d.post.id, d]));
    return entries.map((e) => ({ entry: toHistoryEntry(e.decision_history), decision: byId.get(e.posts.id)! }));
  }

  private async withSupersedes(rows: { posts: PostRow; decisions: DecisionRow }[]) {
    const ids = rows.map((r) => r.posts.id);
    const replaced =
      ids.length === 0
        ? []
        : this.db
            .select({ postId: decisions.postId, supersededBy: decisions.supersededBy })
            .from(decisions)
            .where(inArray(decisions.supersededBy, ids))
            .all();
    const index = supersededIndex(replaced);
    return rows.map((r) => toDecision(r.posts, r.decisions, index.get(r.posts.id) ?? []));
  }
}
