import type BetterSqlite3 from "better-sqlite3";
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
  type TakenMessage,
  wholePayloadText,
  withinShares,
} from "../queue-table.ts";
import type { SqliteDatabase } from "./database.ts";
import type { WriteLock } from "./write-lock.ts";

type DeadParams = ReturnType<typeof selectionParams> & { dead: string };
type CandidateParams = { queue: string; now: number; scan: number; perOrigin: number; running: string };
type DeadRow = Omit<DeadMessage, "payload"> & { payload: string; shared: string | null };

/** The dead queues of these live queues, as the JSON array the statements read. */
const deadQueues = (queues: string[]) => JSON.stringify(queues.map(deadQueueOf));

/**
 * The queue table on SQLite. Statements are prepared once; each runs
 * synchronously, and claiming is one immediate transaction, so it is atomic
 * between processes sharing the file. Writes take the writing connection's
 * lock, so none lands inside a transaction of the store; reads go to the
 * reading connection. Listeners in this process are woken once the rows are
 * written; those in other processes on the same file within a few
 * milliseconds, by watching it (commit-watch.ts).
 */
export class SqliteQueueTable implements QueueTable, DeadLetterTable {
  readonly signal;
  readonly #lock: WriteLock;
  readonly #database: SqliteDatabase;
  readonly #insertAll: (
    queue: string,
    messages: NewMessage[],
    orderingKey: string | null,
    availableAt: number,
    shared: string | null,
  ) => void;
  readonly #delete: (ids: number[]) => void;
  readonly #readShared: BetterSqlite3.Statement<[string], { id: number; payload: string }>;
  readonly #sharedPayloads = new SharedPayloads();
  readonly #release: BetterSqlite3.Statement<[number, number]>;
  readonly #move: BetterSqlite3.Statement<[string, number, number]>;
  readonly #listDead: BetterSqlite3.Statement<[string, number], DeadRow>;
  readonly #countDead: BetterSqlite3.Statement<[string], { origin: string | null; count: number }>;
  readonly #retryDead: BetterSqlite3.Statement<[DeadParams & { now: number }], { queue: string }>;
  readonly #discardDead: (params: DeadParams) => number;
  readonly #renew: BetterSqlite3.Statement<[number, string]>;
  readonly #nextDue: BetterSqlite3.Statement<[string, number], { at: number | null }>;
  readonly #depth: BetterSqlite3.Statement<[number, string], { queued: number; ready: number }>;
  readonly #stats: BetterSqlite3.Statement<[number], QueueStats>;
  readonly #claim: BetterSqlite3.Transaction<
    (queue: string, now: number, lockedUntil: number, limit: number, shares: OriginShares) => TakenMessage[]
  >;

  constructor(database: SqliteDatabase) {
    const { sqlite, readerSqlite: reader } = database;
    this.#lock = database.writeLock;
    this.#database = database;
    this.signal = database.signal;
    const insert = sqlite.prepare<[string, string, string | null, string | null, number, number | bigint | null]>(
      "INSERT INTO queue_messages (queue, payload, origin, ordering_key, available_at, shared_payload_id) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const insertShared = sqlite.prepare<[string]>("INSERT INTO queue_shared_payloads (payload) VALUES (?)");
    this.#insertAll = sqlite.transaction(
      (queue: string, messages: NewMessage[], orderingKey: string | null, availableAt: number, shared: string | null) => {
        const sharedId = shared === null ? null : insertShared.run(shared).lastInsertRowid;
        for (const { payload, origin } of messages) insert.run(queue, payload, origin, orderingKey, availableAt, sharedId);
      },
    );
    this.#readShared = reader.prepare("SELECT id, payload FROM queue_shared_payloads WHERE id IN (SELECT value FROM json_each(?))");
    // A shared payload goes with the last message that names it, in the same transaction.
    const dropUnshared = sqlite.prepare<[string]>(`
      DELETE FROM queue_shared_payloads WHERE id IN (SELECT value FROM json_each(?))
        AND NOT EXISTS (SELECT 1 FROM queue_messages m WHERE m.shared_payload_id = queue_shared_payloads.id)`);
    const dropSharedOf = (removed: { shared: number | null }[]) => {
      const ids = [...new Set(removed.map((row) => row.shared).filter((id) => id !== null))];
      if (ids.length > 0) dropUnshared.run(JSON.stringify(ids));
      return removed.length;
    };
    const deleteMessages = sqlite.prepare<[string], { shared: number | null }>(
      "DELETE FROM queue_messages WHERE id IN (SELECT value FROM json_each(?)) RETURNING shared_payload_id AS shared",
    );
    this.#delete = sqlite.transaction((ids: number[]) => {
      dropSharedOf(deleteMessages.all(JSON.stringify(ids)));
    });
    this.#release = sqlite.prepare("UPDATE queue_messages SET available_at = ?, locked_until = NULL WHERE id = ?");
    this.#move = sqlite.prepare("UPDATE queue_messages SET queue = ?, available_at = ?, locked_until = NULL WHERE id = ?");
    // Dead queues are named in a JSON array; a selection is one message, one origin (null too), or all.
    const deadOnes = `queue IN (SELECT value FROM json_each(@dead))
      AND ((@mode = 'id' AND id = @id) OR (@mode = 'origin' AND origin IS @origin) OR @mode = 'all')`;
    this.#listDead = reader.prepare(`
      SELECT m.id, substr(m.queue, 1, length(m.queue) - 5) AS queue, m.origin, m.attempts, m.payload, s.payload AS shared,
        m.available_at AS diedAt, m.created_at AS createdAt
      FROM queue_messages m LEFT JOIN queue_shared_payloads s ON s.id = m.shared_payload_id
      WHERE m.queue IN (SELECT value FROM json_each(?))
      ORDER BY m.origin IS NULL, m.origin, m.id DESC LIMIT ?`);
    this.#countDead = reader.prepare(`
      SELECT origin, count(*) AS count FROM queue_messages WHERE queue IN (SELECT value FROM json_each(?))
      GROUP BY origin ORDER BY count DESC, origin IS NULL, origin`);
    this.#retryDead = sqlite.prepare(`
      UPDATE queue_messages SET queue = substr(queue, 1, length(queue) - 5), attempts = 0, available_at = @now, locked_until = NULL
      WHERE ${deadOnes} RETURNING queue`);
    const discardDead = sqlite.prepare<[DeadParams], { shared: number | null }>(
      `DELETE FROM queue_messages WHERE ${deadOnes} RETURNING shared_payload_id AS shared`,
    );
    this.#discardDead = sqlite.transaction((params: DeadParams) => dropSharedOf(discardDead.all(params)));
    // The ids come as one JSON array, so that one statement serves any number of them.
    this.#renew = sqlite.prepare("UPDATE queue_messages SET locked_until = ? WHERE id IN (SELECT value FROM json_each(?))");
    this.#nextDue = reader.prepare("SELECT min(available_at) AS at FROM queue_messages WHERE queue = ? AND available_at > ?");
    this.#depth = reader.prepare(
      "SELECT count(*) AS queued, coalesce(sum(available_at <= ?), 0) AS ready FROM queue_messages WHERE queue = ?",
    );
    this.#stats = reader.prepare(
      `SELECT queue, count(*) AS queued, coalesce(sum(available_at <= ?), 0) AS ready, min(created_at) AS oldestCreatedAt
       FROM queue_messages GROUP BY queue ORDER BY queue`,
    );
    // The first `scan` due messages, less any for origins that have their share running and any
    // waiting behind an earlier message with their ordering key. Which of them run is chosen here
    // (withinShares): ranking them per origin in SQL cost ten times the reading, for every claim.
    const candidates = sqlite.prepare<[CandidateParams], { id: number; origin: string | null }>(`
      SELECT m.id, m.origin FROM queue_messages m
      WHERE m.queue = @queue AND m.available_at <= @now AND (m.locked_until IS NULL OR m.locked_until <= @now)
        AND (m.origin IS NULL OR m.origin NOT IN (SELECT key FROM json_each(@running) WHERE value >= @perOrigin))
        AND (m.ordering_key IS NULL OR NOT EXISTS (
          SELECT 1 FROM queue_messages o WHERE o.queue = m.queue AND o.ordering_key = m.ordering_key AND o.id < m.id))
      ORDER BY m.available_at, m.id LIMIT @scan`);
    const take = sqlite.prepare<[number, string], TakenMessage>(
      `UPDATE queue_messages SET locked_until = ?, attempts = attempts + 1 WHERE id IN (SELECT value FROM json_each(?))
       RETURNING id, payload, attempts, origin, shared_payload_id AS sharedPayloadId`,
    );
    // Reading and taking in one immediate transaction: no other process claims in between.
    this.#claim = sqlite.transaction((queue: string, now: number, lockedUntil: number, limit: number, shares: OriginShares) => {
      const params = { queue, now, scan: candidatesFor(limit), perOrigin: shares.perOrigin, running: JSON.stringify(shares.running) };
      const chosen = withinShares(candidates.all(params), limit, shares);
      if (chosen.length === 0) return [];
      const order = new Map(chosen.map((id, i) => [id, i]));
      return take.all(lockedUntil, JSON.stringify(chosen)).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    });
  }

  async insert(
    queue: string,
    messages: Iterable<NewMessage>,
    orderingKey: string | null,
    availableAt: number,
    shared: string | null = null,
  ) {
    for (const chunk of chunksOf(messages, INSERT_CHUNK)) {
      await this.#lock.run(() => this.#insertAll(queue, chunk, orderingKey, availableAt, shared));
      // Woken outside the lock: a listener that runs at once must not find itself inside it.
      this.signal.emit("enqueued", queue);
    }
  }

  async claim(queue: string, now: number, lockedUntil: number, limit: number, shares: OriginShares): Promise<ClaimedMessage[]> {
    const taken = await this.#lock.run(() => this.#claim.immediate(queue, now, lockedUntil, limit, shares));
    // Read after the claim, on the reading connection: a shared payload stays as long as a message names it.
    return this.#sharedPayloads.attach(taken, async (missing) => this.#readShared.all(JSON.stringify(missing)));
  }

  async remove(ids: number[]) {
    await this.#lock.run(() => this.#delete(ids));
  }

  async release(id: number, availableAt: number) {
    await this.#lock.run(() => this.#release.run(availableAt, id));
  }

  async move(id: number, queue: string, at: number) {
    await this.#lock.run(() => this.#move.run(queue, at, id));
  }

  async listDead(queues: string[], limit: number): Promise<DeadMessage[]> {
    return this.#listDead.all(deadQueues(queues), limit).map(({ shared, ...row }) => ({
      ...row,
      payload: wholePayloadText(row.payload, shared),
    }));
  }

  async countDeadByOrigin(queues: string[]) {
    return this.#countDead.all(deadQueues(queues));
  }

  async retryDead(queues: string[], selection: DeadSelection, now: number): Promise<number> {
    const params = { ...selectionParams(selection), dead: deadQueues(queues), now };
    const moved = await this.#lock.run(() => this.#retryDead.all(params));
    // Woken outside the lock, as after an insert.
    for (const queue of new Set(moved.map((row) => row.queue))) this.signal.emit("enqueued", queue);
    return moved.length;
  }

  async discardDead(queues: string[], selection: DeadSelection): Promise<number> {
    const params = { ...selectionParams(selection), dead: deadQueues(queues) };
    return this.#lock.run(() => this.#discardDead(params));
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

  async queueStats(now: number): Promise<QueueStats[]> {
    return this.#stats.all(now);
  }

  async prepareToListen() {
    this.#database.listenForQueues();
  }
}
