import type { MessageQueue, MessageQueueDepth, MessageQueueEnqueueOptions, MessageQueueListenOptions } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase } from "../src/storage/sqlite/database.ts";
import { durationToMs } from "./duration.ts";

export interface SqliteQueueOptions {
  /** The queue's name in the shared table: "fedify" for Fedify's messages, "events" for ours. */
  queue: string;
  /** How many messages one process handles at once. */
  concurrency: number;
  /** How long a claim lasts before another worker may take the message; renewed while it runs. */
  leaseMs: number;
  /** How often to look for messages enqueued by other processes. */
  pollIntervalMs?: number;
  /** Failed handlings before a message is set aside as dead. */
  maxAttempts?: number;
}

interface Claimed {
  id: number;
  payload: string;
  attempts: number;
}

const logger = getLogger(["connexo", "queue"]);

/**
 * A durable message queue on SQLite. A message stays in the table until its
 * handler finishes, so a process that dies mid-way loses nothing: its claims
 * lapse after the lease and another listener takes them over. Messages that
 * share an ordering key are handled one at a time, in order.
 */
export class SqliteMessageQueue implements MessageQueue {
  // Fedify retries failed deliveries itself, by enqueueing them again with a delay.
  readonly nativeRetrial = false;
  readonly #sqlite: BetterSqlite3.Database;
  readonly #database: SqliteDatabase;
  readonly #options: Required<SqliteQueueOptions>;
  readonly #insert: BetterSqlite3.Statement<[string, string, string | null, number]>;
  readonly #delete: BetterSqlite3.Statement<[number]>;
  readonly #nextDue: BetterSqlite3.Statement<[string, number], { at: number | null }>;
  readonly #claim: BetterSqlite3.Statement<[{ lockedUntil: number; queue: string; now: number; limit: number }], Claimed>;

  constructor(database: SqliteDatabase, options: SqliteQueueOptions) {
    this.#database = database;
    this.#sqlite = database.sqlite;
    this.#options = { pollIntervalMs: 500, maxAttempts: 10, ...options };
    this.#insert = this.#sqlite.prepare(
      "INSERT INTO queue_messages (queue, payload, ordering_key, available_at) VALUES (?, ?, ?, ?)",
    );
    // One statement, so claiming is atomic even between processes.
    this.#delete = this.#sqlite.prepare("DELETE FROM queue_messages WHERE id = ?");
    this.#nextDue = this.#sqlite.prepare("SELECT min(available_at) AS at FROM queue_messages WHERE queue = ? AND available_at > ?");
    this.#claim = this.#sqlite.prepare(`
      UPDATE queue_messages SET locked_until = @lockedUntil, attempts = attempts + 1
      WHERE id IN (
        SELECT m.id FROM queue_messages m
        WHERE m.queue = @queue AND m.available_at <= @now AND (m.locked_until IS NULL OR m.locked_until <= @now)
          AND (m.ordering_key IS NULL OR NOT EXISTS (
            SELECT 1 FROM queue_messages o WHERE o.queue = m.queue AND o.ordering_key = m.ordering_key AND o.id < m.id))
        ORDER BY m.available_at, m.id LIMIT @limit
      )
      RETURNING id, payload, attempts`);
  }

  get name(): string {
    return this.#options.queue;
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    const availableAt = Date.now() + (options?.delay ? durationToMs(options.delay) : 0);
    const key = options?.orderingKey ?? null;
    this.#sqlite.transaction(() => {
      for (const message of messages) this.#insert.run(this.#options.queue, JSON.stringify(message), key, availableAt);
    })();
    this.#database.signal.emit("enqueued", this.#options.queue);
  }

  async getDepth(): Promise<MessageQueueDepth> {
    const row = this.#sqlite
      .prepare<[number, string], { queued: number; ready: number }>(
        "SELECT count(*) AS queued, coalesce(sum(available_at <= ?), 0) AS ready FROM queue_messages WHERE queue = ?",
      )
      .get(Date.now(), this.#options.queue)!;
    return { queued: row.queued, ready: row.ready, delayed: row.queued - row.ready };
  }

  async listen(handler: (message: any) => Promise<void> | void, options: MessageQueueListenOptions = {}): Promise<void> {
    const { signal } = options;
    const { queue, concurrency, leaseMs, pollIntervalMs } = this.#options;
    const inFlight = new Map<number, Promise<void>>();
    let wake: (() => void) | null = null;
    const poke = (name: string) => name === queue && wake?.();
    this.#database.signal.on("enqueued", poke);
    signal?.addEventListener("abort", () => wake?.());
    // Keep our claims alive while handlers run, so slow deliveries are not taken twice.
    const renew = setInterval(() => this.#renew([...inFlight.keys()]), Math.max(250, leaseMs / 3));
    try {
      while (!signal?.aborted) {
        const free = concurrency - inFlight.size;
        const claimed = free > 0 ? this.#claim.all({ lockedUntil: Date.now() + leaseMs, queue, now: Date.now(), limit: free }) : [];
        for (const message of claimed) {
          const done = this.#handle(message, handler).finally(() => {
            inFlight.delete(message.id);
            wake?.();
          });
          inFlight.set(message.id, done);
        }
        if (claimed.length === free && free > 0) continue;
        await new Promise<void>((resolve) => {
          // A wake-up from enqueue() runs on a later turn, after the enqueuing transaction committed.
          const timer = setTimeout(done, this.#nextDueIn(pollIntervalMs));
          function done() {
            clearTimeout(timer);
            resolve();
          }
          wake = () => setImmediate(done);
        });
        wake = null;
      }
      await Promise.allSettled(inFlight.values());
    } finally {
      clearInterval(renew);
      this.#database.signal.off("enqueued", poke);
    }
  }

  async #handle(message: Claimed, handler: (message: any) => Promise<void> | void): Promise<void> {
    try {
      await handler(JSON.parse(message.payload));
      this.#delete.run(message.id);
    } catch (error) {
      const { maxAttempts, queue } = this.#options;
      if (message.attempts >= maxAttempts) {
        logger.error("Message {id} on {queue} failed {attempts} times; set aside as dead: {error}", {
          id: message.id, queue, attempts: message.attempts, error,
        });
        this.#sqlite.prepare("UPDATE queue_messages SET queue = ?, locked_until = NULL WHERE id = ?").run(`${queue}:dead`, message.id);
        return;
      }
      const backoffMs = Math.min(2 ** message.attempts * 1000, 3_600_000);
      logger.warn("Message {id} on {queue} failed; retrying in {backoffMs} ms: {error}", { id: message.id, queue, backoffMs, error });
      this.#sqlite
        .prepare("UPDATE queue_messages SET available_at = ?, locked_until = NULL WHERE id = ?")
        .run(Date.now() + backoffMs, message.id);
    }
  }

  #renew(ids: number[]): void {
    if (ids.length === 0) return;
    const placeholders = ids.map(() => "?").join(",");
    this.#sqlite
      .prepare(`UPDATE queue_messages SET locked_until = ? WHERE id IN (${placeholders})`)
      .run(Date.now() + this.#options.leaseMs, ...ids);
  }

  /**
   * How long to sleep: until the next delayed message is due, at most one poll
   * interval (which is also how soon lapsed claims of a dead worker are seen).
   */
  #nextDueIn(pollIntervalMs: number): number {
    const now = Date.now();
    const row = this.#nextDue.get(this.#options.queue, now);
    return row?.at ? Math.max(1, Math.min(pollIntervalMs, row.at - now)) : pollIntervalMs;
  }
}
