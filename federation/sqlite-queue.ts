import type { MessageQueueDepth } from "@fedify/fedify";
import type BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase } from "../src/storage/sqlite/database.ts";
import { candidatesFor, type ClaimedMessage, type NewMessage, type OriginShares, type QueueTable } from "./queue.ts";

/**
 * The queue table on SQLite. Statements are prepared once; each runs
 * synchronously, and claiming is a single UPDATE, so it is atomic between
 * processes sharing the file.
 */
export class SqliteQueueTable implements QueueTable {
  readonly signal;
  readonly #sqlite: BetterSqlite3.Database;
  readonly #insert: BetterSqlite3.Statement<[string, string, string | null, string | null, number]>;
  readonly #delete: BetterSqlite3.Statement<[number]>;
  readonly #release: BetterSqlite3.Statement<[number, number]>;
  readonly #move: BetterSqlite3.Statement<[string, number]>;
  readonly #nextDue: BetterSqlite3.Statement<[string, number], { at: number | null }>;
  readonly #depth: BetterSqlite3.Statement<[number, string], { queued: number; ready: number }>;
  readonly #claim: BetterSqlite3.Statement<
    [{ lockedUntil: number; queue: string; now: number; limit: number; scan: number; perOrigin: number; running: string }],
    ClaimedMessage
  >;

  constructor(database: SqliteDatabase) {
    const sqlite = database.sqlite;
    this.#sqlite = sqlite;
    this.signal = database.signal;
    this.#insert = sqlite.prepare("INSERT INTO queue_messages (queue, payload, origin, ordering_key, available_at) VALUES (?, ?, ?, ?, ?)");
    this.#delete = sqlite.prepare("DELETE FROM queue_messages WHERE id = ?");
    this.#release = sqlite.prepare("UPDATE queue_messages SET available_at = ?, locked_until = NULL WHERE id = ?");
    this.#move = sqlite.prepare("UPDATE queue_messages SET queue = ?, locked_until = NULL WHERE id = ?");
    this.#nextDue = sqlite.prepare("SELECT min(available_at) AS at FROM queue_messages WHERE queue = ? AND available_at > ?");
    this.#depth = sqlite.prepare(
      "SELECT count(*) AS queued, coalesce(sum(available_at <= ?), 0) AS ready FROM queue_messages WHERE queue = ?",
    );
    // The first `scan` due messages, less any for origins that have their share running;
    // of those, no more per origin than its share leaves room for.
    this.#claim = sqlite.prepare(`
      UPDATE queue_messages SET locked_until = @lockedUntil, attempts = attempts + 1
      WHERE id IN (
        SELECT ranked.id FROM (
          SELECT c.id, c.origin, c.available_at,
            row_number() OVER (PARTITION BY c.origin ORDER BY c.available_at, c.id) AS nth
          FROM (
            SELECT m.id, m.origin, m.available_at FROM queue_messages m
            WHERE m.queue = @queue AND m.available_at <= @now AND (m.locked_until IS NULL OR m.locked_until <= @now)
              AND (m.origin IS NULL OR m.origin NOT IN (SELECT key FROM json_each(@running) WHERE value >= @perOrigin))
              AND (m.ordering_key IS NULL OR NOT EXISTS (
                SELECT 1 FROM queue_messages o WHERE o.queue = m.queue AND o.ordering_key = m.ordering_key AND o.id < m.id))
            ORDER BY m.available_at, m.id LIMIT @scan
          ) AS c
        ) AS ranked
        LEFT JOIN json_each(@running) AS r ON r.key = ranked.origin
        WHERE ranked.origin IS NULL OR ranked.nth <= @perOrigin - coalesce(r.value, 0)
        ORDER BY ranked.available_at, ranked.id LIMIT @limit
      )
      RETURNING id, payload, attempts, origin`);
  }

  async insert(queue: string, messages: NewMessage[], orderingKey: string | null, availableAt: number) {
    this.#sqlite.transaction(() => {
      for (const { payload, origin } of messages) this.#insert.run(queue, payload, origin, orderingKey, availableAt);
    })();
    this.signal.emit("enqueued", queue);
  }

  async claim(queue: string, now: number, lockedUntil: number, limit: number, shares: OriginShares) {
    const { perOrigin, running } = shares;
    return this.#claim.all({ lockedUntil, queue, now, limit, scan: candidatesFor(limit), perOrigin, running: JSON.stringify(running) });
  }

  async remove(id: number) {
    this.#delete.run(id);
  }

  async release(id: number, availableAt: number) {
    this.#release.run(availableAt, id);
  }

  async move(id: number, queue: string) {
    this.#move.run(queue, id);
  }

  async renew(ids: number[], lockedUntil: number) {
    const placeholders = ids.map(() => "?").join(",");
    this.#sqlite.prepare(`UPDATE queue_messages SET locked_until = ? WHERE id IN (${placeholders})`).run(lockedUntil, ...ids);
  }

  async nextDueAt(queue: string, now: number) {
    return this.#nextDue.get(queue, now)?.at ?? null;
  }

  async depth(queue: string, now: number): Promise<MessageQueueDepth> {
    const row = this.#depth.get(now, queue)!;
    return { queued: row.queued, ready: row.ready, delayed: row.queued - row.ready };
  }

  async prepareToListen() {}
}
