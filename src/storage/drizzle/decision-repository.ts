import { and, desc, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { DecisionFilter, DecisionStatus } from "../../domain/decisions.ts";
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
import { prepared, shapeOf } from "./prepared.ts";
import type { Unit } from "./unit.ts";

interface FilterValues extends Record<string, unknown> {
  status: string | undefined;
  communityId: number | undefined;
  authorId: number | undefined;
  tag: string | undefined;
  proposedFrom: number | undefined;
  proposedBefore: number | undefined;
}

export function decisionRepository(unit: Unit): DecisionRepository {
  const { db } = unit;
  const { decisionHistory, decisions, posts } = unit.tables;
  /**
   * The conditions of a register filter (the status only when asked for),
   * with placeholders for its values: the registers are among the busiest
   * pages, so their queries are prepared, one for each set of filters used.
   */
  function filterConditions(values: FilterValues): SQL[] {
    const conditions: SQL[] = [eq(posts.state, "published"), eq(posts.kind, "decision")];
    const given = (name: keyof FilterValues) => values[name] !== undefined;
    if (given("status")) conditions.push(eq(decisions.status, sql.placeholder("status")));
    if (given("communityId")) conditions.push(eq(posts.communityId, sql.placeholder("communityId")));
    if (given("authorId")) conditions.push(eq(posts.authorId, sql.placeholder("authorId")));
    if (given("tag")) conditions.push(unit.dialect.jsonArrayHasIgnoringCase(posts.tags, sql.placeholder("tag")));
    if (given("proposedFrom")) conditions.push(gte(posts.publishedAt, sql.placeholder("proposedFrom")));
    if (given("proposedBefore")) conditions.push(lt(posts.publishedAt, sql.placeholder("proposedBefore")));
    return conditions;
  }

  /**
   * The values of a register filter's placeholders (undefined for a filter not
   * used), and the name of the set of filters used: the conditions are built
   * from these same values, so the name always tells the SQL.
   */
  function filterValues(filter: DecisionFilter, withStatus: boolean): { values: FilterValues; shape: string } {
    const values: FilterValues = {
      status: (withStatus && filter.status) || undefined,
      communityId: filter.communityId ?? undefined,
      authorId: filter.authorId ?? undefined,
      tag: filter.tag || undefined,
      proposedFrom: filter.proposedFrom?.getTime(),
      proposedBefore: filter.proposedBefore?.getTime(),
    };
    return { values, shape: shapeOf(values) };
  }

  /**
   * Whether a listing is of one community's or one person's records. Those are
   * read from their posts (indexed by community and by author). The whole
   * register is read from decisions in the order of their last move
   * (decisions_by_change), so that a page stops once it is full instead of
   * sorting every record: SQLite keeps a CROSS JOIN's tables in the order written.
   */
  function isScoped(values: FilterValues): boolean {
    return values.communityId !== undefined || values.authorId !== undefined;
  }

  /** The history entry, the notes and the events that go with every change. */
  async function finish(tx: Unit, change: DecisionChange) {
    if (change.history) await tx.db.insert(decisionHistory).values(fromHistoryEntry(change.history));
    for (const note of change.notes ?? []) await tx.db.insert(posts).values(fromPost(note));
    await enqueueEvents(tx, change.events);
  }

  /** The records matching a filter, counted by status: one query. */
  async function countStatuses(values: FilterValues, shape: string): Promise<Record<DecisionStatus, number>> {
    const query = prepared(db, `decisions_count:${shape}`, (db, name) => {
      const where = and(eq(decisions.postId, posts.id), ...filterConditions(values));
      const counted = { status: decisions.status, n: sql<number>`count(*)` };
      return isScoped(values)
        ? db
            .select(counted)
            .from(posts)
            .innerJoin(decisions, eq(decisions.postId, posts.id))
            .where(where)
            .groupBy(decisions.status)
            .prepare(name)
        : db.select(counted).from(decisions).crossJoin(posts).where(where).groupBy(decisions.status).prepare(name);
    });
    const counts = emptyStatusCounts();
    for (const { status, n } of await query.execute(values)) counts[status] = Number(n);
    return counts;
  }

  /** The records with the ids of those each supersedes, in one more query. */
  async function withSupersedes(rows: { posts: PostRow; decisions: DecisionRow }[]) {
    const ids = rows.map((r) => r.posts.id);
    const replaced =
      ids.length === 0
        ? []
        : await prepared(db, "decisions_superseding", (db, name) =>
            db
              .select({ postId: decisions.postId, supersededBy: decisions.supersededBy })
              .from(decisions)
              .where(unit.dialect.inListParameter(decisions.supersededBy, sql.placeholder("ids")))
              .prepare(name),
          ).execute({ ids: unit.dialect.listParameter(ids) });
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
      const { values, shape } = filterValues(filter, true);
      const query = prepared(db, `decisions_list:${shape}`, (db, name) => {
        const where = and(eq(decisions.postId, posts.id), ...filterConditions(values));
        const order = [desc(decisions.statusChangedAt), desc(decisions.postId)];
        const page = { limit: sql.placeholder("limit"), offset: sql.placeholder("offset") };
        // One community's or person's records are sorted, not read in order: the page's ids first, then
        // their rows, so that the sort carries ids and not every record's text (4 ms for 500, then 0.4).
        return isScoped(values)
          ? db
              .select()
              .from(posts)
              .innerJoin(decisions, eq(decisions.postId, posts.id))
              .where(
                inArray(
                  posts.id,
                  db
                    .select({ id: posts.id })
                    .from(posts)
                    .innerJoin(decisions, eq(decisions.postId, posts.id))
                    .where(where)
                    .orderBy(...order)
                    .limit(page.limit)
                    .offset(page.offset),
                ),
              )
              .orderBy(...order)
              .prepare(name)
          : db
              .select()
              .from(decisions)
              .crossJoin(posts)
              .where(where)
              .orderBy(...order)
              .limit(page.limit)
              .offset(page.offset)
              .prepare(name);
      });
      const rows = await query.execute({ ...values, limit, offset });
      return withSupersedes(rows as { posts: PostRow; decisions: DecisionRow }[]);
    },

    async countByStatus(filter) {
      const { values, shape } = filterValues(filter, false);
      return countStatuses(values, shape);
    },

    async recentHistory(communityId, limit) {
      // The instance's changes are read from the history in time order (decision_history_by_time), stopping once
      // the page is full: written as a CROSS JOIN, since SQLite keeps its tables in the order written. Left to
      // choose, without statistics it read every published post and sorted their history with their text
      // (24 ms for 2,000 records, then 0.5). One community's start from its posts, which may be few of them all.
      const history = db.select().from(decisionHistory);
      const entries = await (communityId === null
        ? history.crossJoin(posts)
        : history.innerJoin(posts, eq(posts.id, decisionHistory.decisionId))
      )
        .where(
          and(
            eq(posts.id, decisionHistory.decisionId),
            eq(posts.state, "published"),
            communityId === null ? undefined : eq(posts.communityId, communityId),
          ),
        )
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
