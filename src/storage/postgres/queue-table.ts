import type pg from "pg";
import {
  candidatesFor,
  type ClaimedMessage,
  type DeadLetterTable,
  type DeadMessage,
  type DeadSelection,
  deadQueueOf,
  chunksOf,
  INSERT_CHUNK,
  type NewMessage,
  type OriginShares,
  type QueueDepth,
  type QueueStats,
  type QueueTable,
  selectionParams,
  SharedPayloads,
  wholePayloadText,
} from "../queue-table.ts";
import type { PostgresDatabase } from "./database.ts";
import { QUEUE_CHANNEL } from "./queue-channel.ts";

// Named statements are prepared once per connection by node-postgres.
const INSERT = {
  name: "queue_insert",
  // One statement: the rows (and what they share, $7, if anything) and the NOTIFY commit together, and
  // the NOTIFY wakes every process's workers.
  text: `WITH shared AS (
      INSERT INTO queue_shared_payloads (payload) SELECT $7::text WHERE $7::text IS NOT NULL RETURNING id
    ), inserted AS (
      INSERT INTO queue_messages (queue, payload, origin, ordering_key, available_at, shared_payload_id)
      SELECT $1, payload, origin, $3, $4, (SELECT id FROM shared) FROM unnest($2::text[], $6::text[]) AS m(payload, origin)
      RETURNING 1)
    SELECT pg_notify($5, $1) FROM (SELECT count(*) FROM inserted) AS done`,
};
const CLAIM = {
  name: "queue_claim",
  // SKIP LOCKED lets many workers claim at once without waiting on, or taking, each other's rows.
  // The first $5 due messages, less any for origins that have their share running ($6: how many
  // run per origin, $7: the share); of those, no more per origin than its share leaves room for.
  text: `WITH candidates AS (
      SELECT m.id, m.origin, m.available_at FROM queue_messages m
      WHERE m.queue = $2 AND m.available_at <= $3 AND (m.locked_until IS NULL OR m.locked_until <= $3)
        AND (m.origin IS NULL OR m.origin NOT IN (SELECT key FROM jsonb_each_text($6::jsonb) WHERE value::int >= $7))
        AND (m.ordering_key IS NULL OR NOT EXISTS (
          SELECT 1 FROM queue_messages o WHERE o.queue = m.queue AND o.ordering_key = m.ordering_key AND o.id < m.id))
      ORDER BY m.available_at, m.id
      LIMIT $5
      FOR UPDATE SKIP LOCKED
    ), ranked AS (
      SELECT id, origin, available_at, row_number() OVER (PARTITION BY origin ORDER BY available_at, id) AS nth FROM candidates
    ), chosen AS (
      SELECT ranked.id FROM ranked LEFT JOIN jsonb_each_text($6::jsonb) AS r ON r.key = ranked.origin
      WHERE ranked.origin IS NULL OR ranked.nth <= $7 - coalesce(r.value::int, 0)
      ORDER BY ranked.available_at, ranked.id
      LIMIT $4
    )
    UPDATE queue_messages q SET locked_until = $1, attempts = q.attempts + 1
    FROM chosen
    WHERE q.id = chosen.id
    RETURNING q.id, q.payload, q.attempts, q.origin, q.shared_payload_id AS shared`,
};
const READ_SHARED = { name: "queue_read_shared", text: "SELECT id, payload FROM queue_shared_payloads WHERE id = ANY($1::bigint[])" };
const DELETE = {
  name: "queue_delete",
  text: "DELETE FROM queue_messages WHERE id = ANY($1::bigint[]) RETURNING shared_payload_id AS shared",
};
// After the messages' removal has committed, on its own: of two processes removing the last messages
// that share a payload at once, the one that asks last sees both gone.
const DROP_UNSHARED = {
  name: "queue_drop_unshared",
  text: `DELETE FROM queue_shared_payloads p WHERE p.id = ANY($1::bigint[])
    AND NOT EXISTS (SELECT 1 FROM queue_messages m WHERE m.shared_payload_id = p.id)`,
};
// Any a process left behind by stopping between the two statements above.
const SWEEP_UNSHARED = {
  name: "queue_sweep_unshared",
  text: "DELETE FROM queue_shared_payloads p WHERE NOT EXISTS (SELECT 1 FROM queue_messages m WHERE m.shared_payload_id = p.id)",
};
const RELEASE = { name: "queue_release", text: "UPDATE queue_messages SET available_at = $2, locked_until = NULL WHERE id = $1" };
const MOVE = {
  name: "queue_move",
  text: "UPDATE queue_messages SET queue = $2, available_at = $3, locked_until = NULL WHERE id = $1",
};
// $1: the dead queues; $2: what is selected ('id', 'origin' or 'all'), $3 the id, $4 the origin (null too).
const DEAD_ONES = `queue = ANY($1::text[])
  AND (($2 = 'id' AND id = $3::bigint) OR ($2 = 'origin' AND origin IS NOT DISTINCT FROM $4::text) OR $2 = 'all')`;
const LIST_DEAD = {
  name: "queue_list_dead",
  text: `SELECT m.id, left(m.queue, -5) AS queue, m.origin, m.attempts, m.payload, s.payload AS shared,
      m.available_at AS "diedAt", m.created_at AS "createdAt"
    FROM queue_messages m LEFT JOIN queue_shared_payloads s ON s.id = m.shared_payload_id
    WHERE m.queue = ANY($1::text[])
    ORDER BY m.origin NULLS LAST, m.id DESC LIMIT $2`,
};
const COUNT_DEAD = {
  name: "queue_count_dead",
  text: `SELECT origin, count(*) AS count FROM queue_messages WHERE queue = ANY($1::text[])
    GROUP BY origin ORDER BY count(*) DESC, origin NULLS LAST`,
};
const RETRY_DEAD = {
  name: "queue_retry_dead",
  // The NOTIFY is sent in the same statement, so it arrives after the commit, in every process.
  text: `WITH moved AS (
      UPDATE queue_messages SET queue = left(queue, -5), attempts = 0, available_at = $5, locked_until = NULL
      WHERE ${DEAD_ONES} RETURNING queue
    ), notified AS (
      SELECT pg_notify($6, queue) FROM (SELECT DISTINCT queue FROM moved) AS q
    )
    SELECT (SELECT count(*) FROM moved) AS moved, (SELECT count(*) FROM notified) AS notified`,
};
const DISCARD_DEAD = {
  name: "queue_discard_dead",
  text: `DELETE FROM queue_messages WHERE ${DEAD_ONES} RETURNING shared_payload_id AS shared`,
};
const RENEW = { name: "queue_renew", text: "UPDATE queue_messages SET locked_until = $2 WHERE id = ANY($1::bigint[])" };
const NEXT_DUE = {
  name: "queue_next_due",
  text: "SELECT min(available_at) AS at FROM queue_messages WHERE queue = $1 AND available_at > $2",
};
const DEPTH = {
  name: "queue_depth",
  text: "SELECT count(*) AS queued, count(*) FILTER (WHERE available_at <= $2) AS ready FROM queue_messages WHERE queue = $1",
};
const STATS = {
  name: "queue_stats",
  text: `SELECT queue, count(*) AS queued, count(*) FILTER (WHERE available_at <= $1) AS ready, min(created_at) AS oldest
    FROM queue_messages GROUP BY queue ORDER BY queue`,
};

/**
 * How long one of the queue's statements may take before this process gives
 * up on it. Each takes milliseconds; one that takes this long is stuck (a
 * lost connection, or a lock someone holds), and waiting on it would hold up
 * every removal batched after it. Given up on, it fails like any database
 * error: the messages it concerned are handled again once their lease lapses.
 */
const STATEMENT_TIMEOUT_MS = 30_000;

/** A named statement with its values, and the time this process waits for it (node-postgres's own option). */
type TimedQuery = pg.QueryConfig & { query_timeout: number };

/** The queue table on PostgreSQL, shared by any number of worker processes on any number of machines. */
export class PostgresQueueTable implements QueueTable, DeadLetterTable {
  readonly signal;
  readonly #pool: pg.Pool;
  readonly #database: PostgresDatabase;
  readonly #timeoutMs: number;
  readonly #sharedPayloads = new SharedPayloads();

  constructor(database: PostgresDatabase, { statementTimeoutMs = STATEMENT_TIMEOUT_MS }: { statementTimeoutMs?: number } = {}) {
    this.#database = database;
    this.#pool = database.pool;
    this.signal = database.signal;
    this.#timeoutMs = statementTimeoutMs;
  }

  /** Runs one of the statements above, giving up after the timeout; the connection it was stuck on is then closed, not reused. */
  #query<R extends pg.QueryResultRow = pg.QueryResultRow>(statement: { name: string; text: string }, values: unknown[]) {
    const query: TimedQuery = { ...statement, values, query_timeout: this.#timeoutMs };
    return this.#pool.query<R>(query);
  }

  async insert(
    queue: string,
    messages: Iterable<NewMessage>,
    orderingKey: string | null,
    availableAt: number,
    shared: string | null = null,
  ) {
    for (const chunk of chunksOf(messages, INSERT_CHUNK)) {
      const values = [queue, chunk.map((m) => m.payload), orderingKey, availableAt, QUEUE_CHANNEL, chunk.map((m) => m.origin), shared];
      await this.#query(INSERT, values);
    }
  }

  async claim(queue: string, now: number, lockedUntil: number, limit: number, shares: OriginShares): Promise<ClaimedMessage[]> {
    const result = await this.#query<{ id: string; payload: string; attempts: number; origin: string | null; shared: string | null }>(
      CLAIM,
      [lockedUntil, queue, now, limit, candidatesFor(limit), JSON.stringify(shares.running), shares.perOrigin],
    );
    // bigint ids arrive as strings; queue ids stay far below 2^53.
    const taken = result.rows.map((row) => ({
      id: Number(row.id),
      payload: row.payload,
      sharedPayloadId: row.shared === null ? null : Number(row.shared),
      attempts: row.attempts,
      origin: row.origin,
    }));
    return this.#sharedPayloads.attach(taken, async (missing) => {
      const read = await this.#query<{ id: string; payload: string }>(READ_SHARED, [missing]);
      return read.rows.map((row) => ({ id: Number(row.id), payload: row.payload }));
    });
  }

  async remove(ids: number[]) {
    const result = await this.#query<{ shared: string | null }>(DELETE, [ids]);
    await this.#dropUnshared(result.rows);
  }

  /** Removes the shared payloads of removed messages that no message names any more. */
  async #dropUnshared(removed: { shared: string | null }[]) {
    const ids = [...new Set(removed.flatMap((row) => (row.shared === null ? [] : [Number(row.shared)])))];
    if (ids.length > 0) await this.#query(DROP_UNSHARED, [ids]);
  }

  async release(id: number, availableAt: number) {
    await this.#query(RELEASE, [id, availableAt]);
  }

  async move(id: number, queue: string, at: number) {
    await this.#query(MOVE, [id, queue, at]);
  }

  async listDead(queues: string[], limit: number): Promise<DeadMessage[]> {
    const result = await this.#query<Record<keyof DeadMessage | "shared", string | number | null>>(LIST_DEAD, [
      queues.map(deadQueueOf),
      limit,
    ]);
    // bigints arrive as strings.
    return result.rows.map((row) => ({
      id: Number(row.id),
      queue: String(row.queue),
      origin: row.origin === null ? null : String(row.origin),
      attempts: Number(row.attempts),
      payload: wholePayloadText(String(row.payload), row.shared === null ? null : String(row.shared)),
      diedAt: Number(row.diedAt),
      createdAt: Number(row.createdAt),
    }));
  }

  async countDeadByOrigin(queues: string[]) {
    const result = await this.#query<{ origin: string | null; count: string }>(COUNT_DEAD, [queues.map(deadQueueOf)]);
    return result.rows.map((row) => ({ origin: row.origin, count: Number(row.count) }));
  }

  async retryDead(queues: string[], selection: DeadSelection, now: number): Promise<number> {
    const { mode, id, origin } = selectionParams(selection);
    const result = await this.#query<{ moved: string }>(RETRY_DEAD, [queues.map(deadQueueOf), mode, id, origin, now, QUEUE_CHANNEL]);
    return Number(result.rows[0]?.moved ?? 0);
  }

  async discardDead(queues: string[], selection: DeadSelection): Promise<number> {
    const { mode, id, origin } = selectionParams(selection);
    const result = await this.#query<{ shared: string | null }>(DISCARD_DEAD, [queues.map(deadQueueOf), mode, id, origin]);
    await this.#dropUnshared(result.rows);
    return result.rows.length;
  }

  async renew(ids: number[], lockedUntil: number) {
    await this.#query(RENEW, [ids, lockedUntil]);
  }

  async nextDueAt(queue: string, now: number) {
    const result = await this.#query<{ at: string | null }>(NEXT_DUE, [queue, now]);
    const at = result.rows[0]?.at;
    return at == null ? null : Number(at);
  }

  async depth(queue: string, now: number): Promise<QueueDepth> {
    const result = await this.#query<{ queued: string; ready: string }>(DEPTH, [queue, now]);
    const queued = Number(result.rows[0]?.queued ?? 0);
    const ready = Number(result.rows[0]?.ready ?? 0);
    return { queued, ready, delayed: queued - ready };
  }

  async queueStats(now: number): Promise<QueueStats[]> {
    const result = await this.#query<{ queue: string; queued: string; ready: string; oldest: string | null }>(STATS, [now]);
    return result.rows.map((row) => ({
      queue: row.queue,
      queued: Number(row.queued),
      ready: Number(row.ready),
      oldestCreatedAt: row.oldest == null ? null : Number(row.oldest),
    }));
  }

  async prepareToListen() {
    await this.#query(SWEEP_UNSHARED, []);
    await this.#database.listenForQueues();
  }
}
