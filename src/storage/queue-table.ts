import type { Database } from "./database.ts";
import { PostgresQueueTable } from "./postgres/queue-table.ts";
import type { QueueSignal } from "./queue-signal.ts";
import { SqliteQueueTable } from "./sqlite/queue-table.ts";

export interface ClaimedMessage {
  id: number;
  payload: string;
  attempts: number;
  origin: string | null;
}

export interface NewMessage {
  payload: string;
  origin: string | null;
}

/** How many messages one process may run for one remote origin, and how many it runs now, by origin. */
export interface OriginShares {
  perOrigin: number;
  running: Record<string, number>;
}

/** How many messages wait on a queue: all of them, those due now, and those held for later. */
export interface QueueDepth {
  queued: number;
  ready: number;
  delayed: number;
}

/**
 * The rows of `queue_messages`, which holds every queue: what a durable queue
 * needs of them. One implementation per database.
 */
export interface QueueTable {
  insert(queue: string, messages: NewMessage[], orderingKey: string | null, availableAt: number): Promise<void>;
  /**
   * Atomically claims up to `limit` due messages that nobody holds, leaving out
   * any whose ordering key has an older message still waiting, and no more
   * for one origin than its share leaves room for; counts the attempt.
   */
  claim(queue: string, now: number, lockedUntil: number, limit: number, shares: OriginShares): Promise<ClaimedMessage[]>;
  remove(id: number): Promise<void>;
  /** Lets go of a message so it is tried again at `availableAt`. */
  release(id: number, availableAt: number): Promise<void>;
  /** Moves a message to another queue (the dead letters) and lets go of it. */
  move(id: number, queue: string): Promise<void>;
  renew(ids: number[], lockedUntil: number): Promise<void>;
  nextDueAt(queue: string, now: number): Promise<number | null>;
  depth(queue: string, now: number): Promise<QueueDepth>;
  /** Fires when any listener of this process (or, on PostgreSQL, any process) should look again. */
  signal: QueueSignal;
  /** Gets ready to hear about new messages from other processes. */
  prepareToListen(): Promise<void>;
}

/** The queue table on whichever database this is. */
export function createQueueTable(database: Database): QueueTable {
  return database.kind === "postgres" ? new PostgresQueueTable(database) : new SqliteQueueTable(database);
}

/**
 * How many due messages a claim looks at to find `limit` it may run: enough
 * that one origin's backlog at the head of the queue leaves room for others.
 */
export function candidatesFor(limit: number): number {
  return Math.max(64, limit * 4);
}
