import type BetterSqlite3 from "better-sqlite3";
import {
  candidatesFor,
  type ClaimedMessage,
  type NewMessage,
  type OriginShares,
  type QueueDepth,
  type QueueTable,
} from "../queue-table.ts";
import type { SqliteDatabase } from "./database.ts";
import type { WriteLock } from "./write-lock.ts";

/**
 * The queue table on SQLite. Statements are prepared once; each runs
 * synchronously, and claiming is a single UPDATE, so it is atomic between
 * processes sharing the file. Writes take the writing connection's lock, so
 * none lands inside a transaction of the store; reads go to the reading
 * connection. Listeners in this process are woken once the rows are written.
 */
export class SqliteQueueTable implements QueueTable {
  readonly signal;
  readonly #lock: WriteLock;
  readonly #insertAll: (queue: string, messages: NewMessage[], orderingKey: string | null, availableAt: number) => void;
  readonly #delete: BetterSqlite3.Statement<[number]>;
  readonly #release: BetterSqlite3.Statement<[number, number]>;
  readonly #move: BetterSqlite3.Statement<[string, number]>;
  readonly #renew: BetterSqlite3.Statement<[number, string]>;
  readonly #nextDue: BetterSqlite3.Statement<[string, number], { at: number | null }>;
  readonly #depth: BetterSqlite3.Statement<[number, string], { queued: number; ready: number }>;
  readonly #claim: BetterSqlite3.Statement<
    [{ lockedUntil: number; queue: string; now: number; limit: number; scan: number; perOrigin: number; running: string }],
    ClaimedMessage
  >;

  constructor(database: SqliteDatabase) {
    const { sqlite, readerSqlite: reader } = database;
    this.#lock = database.writeLock;
    this.signal = database.signal;
    const insert = sqlite.prepare<[string, string, string | null, string | null, number]>(
      "INSERT INTO queue_messages (queue, payload, origin, ordering_key, available_at) VALUES (?, ?, ?, ?, ?)",
    );
    this.#insertAll = sqlite.transaction((queue: string, messages: NewMessage[], orderingKey: string | null, availableAt: number) => {
      for (const { payload, origin } of messages) insert.run(queue, payload, origin, orderingKey, availableAt);
    });
    this.#delete = sqlite.prepare("DELETE FROM queue_messages WHERE id = ?");
    this.#release = sqlite.prepare("UPDATE queue_messages SET available_at = ?, locked_until = NULL WHERE id = ?");
    this.#move = sqlite.prepare("UPDATE queue_messages SET queue = ?, locked_until = NULL WHERE id = ?");
    // The ids come as one JSON array, so that one statement serves any number of them.
    this.#renew = sqlite.prepare("UPDATE queue_messages SET locked_until = ? WHERE id IN (SELECT value FROM json_each(?))");
    this.#nextDue = reader.prepare("SELECT min(available_at) AS at FROM queue_messages WHERE queue = ? AND available_at > ?");
    this.#depth = reader.prepare(
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
    await this.#lock.run(() => this.#insertAll(queue, messages, orderingKey, availableAt));
    // Woken outside the lock: a listener that runs at once must not find itself inside it.
    this.signal.emit("enqueued", queue);
  }

  claim(queue: string, now: number, lockedUntil: number, limit: number, shares: OriginShares): Promise<ClaimedMessage[]> {
    const { perOrigin, running } = shares;
    const params = { lockedUntil, queue, now, limit, scan: candidatesFor(limit), perOrigin, running: JSON.stringify(running) };
    return this.#lock.run(() => this.#claim.all(params));
  }

  async remove(id: number) {
    await this.#lock.run(() => this.#delete.run(id));
  }

  async release(id: number, availableAt: number) {
    await this.#lock.run(() => this.#release.run(availableAt, id));
  }

  async move(id: number, queue: string) {
    await this.#lock.run(() => this.#move.run(queue, id));
  }

  async renew(ids: number[], lockedUntil: number) {
    await this.#lock.run(() => this.#renew.run(lockedUntil, JSON.stringify(ids)));
  }

  async nextDueAt(queue: string, now: number) {
    return this.#nextDue.get(queue, now)?.at ?? null;
  }

  async depth(queue: string, now: number): Promise<QueueDepth> {
    const row = this.#depth.get(now, queue)!;
    return { queued: row.queued, ready: row.ready, delayed: row.queued - row.ready };
  }

  async prepareToListen() {}
}
