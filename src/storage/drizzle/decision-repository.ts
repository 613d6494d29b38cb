import { and, desc, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
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
import { enqueueEvents } from "./events.ts";
import type { Unit } from "./unit.ts";

export function decisionRepository(unit: Unit): DecisionRepository {
  const { db } = unit;
  const { decisionHistory, decisions, posts } = unit.tables;

  /** The conditions of a register filter; the status only when asked for. */
  function filterConditions(filter: DecisionFilter, withStatus: boolean): SQL[] {
    const conditions: SQL[] = [eq(posts.state, "published"), eq(posts.kind, "decision")];
    if (withStatus && filter.status) conditions.push(eq(decisions.status, filter.status));
    if (filter.communityId !== undefined) conditions.push(eq(posts.communityId, filter.communityId));
    if (filter.authorId !== undefined) conditions.push(eq(posts.authorId, filter.authorId));
    if (filter.tag) conditions.push(unit.dialect.jsonArrayHasIgnoringCase(posts.tags, filter.tag));
    if (filter.proposedFrom) conditions.push(gte(posts.publishedAt, filter.proposedFrom.getTime()));
    if (filter.proposedBefore) conditions.push(lt(posts.publishedAt, filter.proposedBefore.getTime()));
    return conditions;
  }

  /**
   * Whether a listing is of one community's or one person's records. Those are
   * read from their posts (indexed by community and by author). The whole
   * register is read from decisions in the order of their last move
   * (decisions_by_change), so that a page stops once it is full instead of
   * sorting every record: SQLite keeps a CROSS JOIN's tables in the order written.
   */
  function isScoped(filter: DecisionFilter): boolean {
    return filter.communityId !== undefined || filter.authorId !== undefined;
  }

  /** The history entry, the notes and the events that go with every change. */
  async function finish(tx: Unit, change: DecisionChange) {
    if (change.history) await tx.db.insert(decisionHistory).values(fromHistoryEntry(change.history));
    for (const note of change.notes ?? []) await tx.db.insert(posts).values(fromPost(note));
    await enqueueEvents(tx, change.events);
  }

  /** The records with the ids of those each supersedes, in one more query. */
  async function withSupersedes(rows: { posts: PostRow; decisions: DecisionRow }[]) {
    const ids = rows.map((r) => r.posts.id);
    const replaced =
      ids.length === 0
        ? []
        : await db
            .select({ postId: decisions.postId, supersededBy: decisions.supersededBy })
            .from(decisions)
            .where(inArray(decisions.supersededBy, ids));
    const index = supersededIndex(replaced);
    return rows.map((r) => toDecision(r.posts, r.decisions, index.get(r.posts.id) ?? []));
  }

  return {
    async insert(change) {
      await unit.transaction(async (tx) => {
        await tx.db.insert(posts).values(fromPost(change.post));
        await tx.db.insert(decisions).values(fromDecisionFields(change.post.id, change.fields));
        await finish(tx, change);
      });
    },

    save: (change, readVersion) =>
      unit.transaction(async (tx) => {
        const updated = await tx.db
          .update(posts)
          .set(fromPost(change.post))
          .where(and(eq(posts.id, change.post.id), eq(posts.version, readVersion)))
          .returning({ id: posts.id });
        if (updated.length === 0) return false;
        await tx.db.update(decisions).set(fromDecisionFields(change.post.id, change.fields)).where(eq(decisions.postId, change.post.id));
        await finish(tx, change);
        return true;
      }),

    async holdAt(id, version) {
      // Writing the version it already has takes the row's lock (PostgreSQL) and checks it at once.
      const held = await unit.write((db) =>
        db
          .update(posts)
          .set({ version })
          .where(and(eq(posts.id, id), eq(posts.version, version)))
          .returning({ id: posts.id }),
      );
      return held.length > 0;
    },

    async find(id) {
      const [row] = await db.select().from(posts).innerJoin(decisions, eq(decisions.postId, posts.id)).where(eq(posts.id, id));
      if (!row) return null;
      const [decision] = await withSupersedes([{ posts: row.posts, decisions: row.decisions as DecisionRow }]);
      return decision!;
    },

    async history(id) {
      const rows = await db.select().from(decisionHistory).where(eq(decisionHistory.decisionId, id)).orderBy(decisionHistory.id);
      return rows.map(toHistoryEntry);
    },

    async list(filter, limit, offset) {
      const where = and(eq(decisions.postId, posts.id), ...filterConditions(filter, true));
      const order = [desc(decisions.statusChangedAt), desc(decisions.postId)];
      const rows = isScoped(filter)
        ? await db
            .select()
            .from(posts)
            .innerJoin(decisions, eq(decisions.postId, posts.id))
            .where(where)
            .orderBy(...order)
            .limit(limit)
            .offset(offset)
        : await db
            .select()
            .from(decisions)
            .crossJoin(posts)
            .where(where)
            .orderBy(...order)
            .limit(limit)
            .offset(offset);
      return withSupersedes(rows as { posts: PostRow; decisions: DecisionRow }[]);
    },

    async countByStatus(filter) {
      const counts = emptyStatusCounts();
      const where = and(eq(decisions.postId, posts.id), ...filterConditions(filter, false));
      const counted = { status: decisions.status, n: sql<number>`count(*)` };
      const rows = isScoped(filter)
        ? await db.select(counted).from(posts).innerJoin(decisions, eq(decisions.postId, posts.id)).where(where).groupBy(decisions.status)
        : await db.select(counted).from(decisions).crossJoin(posts).where(where).groupBy(decisions.status);
      for (const { status, n } of rows) counts[status] = Number(n);
      return counts;
    },

    async recentHistory(communityId, limit) {
      const entries = await db
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
          : await db.select().from(posts).innerJoin(decisions, eq(decisions.postId, posts.id)).where(inArray(posts.id, ids));
      const byId = new Map((await withSupersedes(rows as { posts: PostRow; decisions: DecisionRow }[])).map((d) => [d.post.id, d]));
      return entries.map((e) => ({ entry: toHistoryEntry(e.decision_history), decision: byId.get(e.posts.id)! }));
    },
  };
}
