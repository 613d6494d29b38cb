import type { Database } from "./database.ts";
import { PostgresQueueTable } from "./postgres/queue-table.ts";
import type { QueueSignal } from "./queue-signal.ts";
import { SqliteQueueTable } from "./sqlite/queue-table.ts";

export interface ClaimedMessage {
  id: number;
  /** Its own fields (JSON). */
  payload: string;
  /** The fields it shares with the other messages of its batch (a JSON object), if any. */
  shared: string | null;
  attempts: number;
  origin: string | null;
}

/** A claimed message as its row gives it: the id of the shared payload it names, if any, not yet its text. */
export type TakenMessage = Omit<ClaimedMessage, "shared"> & { sharedPayloadId: number | null };

/** A message as it was enqueued: its own fields, with those it shared with its batch. */
export function wholePayload(own: string, shared: string | null): unknown {
  const parsed: unknown = JSON.parse(own);
  // Parsed afresh for each message: a handler may change what it is given without touching the next one's.
  return shared === null ? parsed : { ...(JSON.parse(shared) as object), ...(parsed as object) };
}

/** A message as it was enqueued, as JSON: for showing it whole (a dead letter). */
export function wholePayloadText(own: string, shared: string | null): string {
  return shared === null ? own : JSON.stringify(wholePayload(own, shared));
}

/**
 * Shared payloads read lately, by id. They never change while a message
 * names them and ids are never used again, so a claim whose messages share
 * one reads it once, and the claims after it not at all.
 */
export class SharedPayloads {
  readonly #texts = new Map<number, string>();

  constructor(private readonly held = 32) {}

  /**
   * Claimed messages with the text of the shared payload each names (its id
   * as `sharedPayloadId`), reading those not held with `read`. A message whose
   * shared payload is gone was itself removed since it was claimed (a payload
   * goes only with the last message naming it): it is left out, not handed
   * over in part.
   */
  async attach(taken: TakenMessage[], read: (missing: number[]) => Promise<{ id: number; payload: string }[]>): Promise<ClaimedMessage[]> {
    const missing = [...new Set(taken.map((message) => message.sharedPayloadId))].filter(
      (id): id is number => id !== null && !this.#texts.has(id),
    );
    if (missing.length > 0) {
      for (const row of await read(missing)) this.#hold(Number(row.id), row.payload);
    }
    return taken.flatMap(({ sharedPayloadId, ...message }): ClaimedMessage[] => {
      if (sharedPayloadId === null) return [{ ...message, shared: null }];
      const shared = this.#texts.get(sharedPayloadId);
      return shared === undefined ? [] : [{ ...message, shared }];
    });
  }

  #hold(id: number, text: string) {
    if (this.#texts.size >= this.held) this.#texts.delete(this.#texts.keys().next().value!);
    this.#texts.set(id, text);
  }
}

export interface NewMessage {
  payload: string;
  origin: string | null;
}

/** How many messages one insert statement (or, on SQLite, transaction) writes. */
export const INSERT_CHUNK = 200;

/** The items in arrays of at most `size`, made only as each array is asked for. */
export function* chunksOf<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
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

/** One queue at a moment: its messages, those due now, and when the oldest of them was enqueued (epoch ms). */
export interface QueueStats {
  queue: string;
  queued: number;
  ready: number;
  oldestCreatedAt: number | null;
}

/** A message set aside after failing too often, as an operator sees it. */
export interface DeadMessage {
  id: number;
  /** The live queue it came from ("fedify", "events"), where a retry puts it back. */
  queue: string;
  origin: string | null;
  attempts: number;
  payload: string;
  /** When it was set aside (its last failure). */
  diedAt: number;
  createdAt: number;
}

/** Which dead messages an operator acts on: one, all of one remote origin (null: none), or all. */
export type DeadSelection = { id: number } | { origin: string | null } | { all: true };

/**
 * The dead letters of some live queues: each queue's messages that failed
 * too often wait in `<queue>:dead` until an operator retries or discards them.
 */
export interface DeadLetterTable {
  /** Dead messages of these live queues, by origin (nulls last), newest first within one; at most `limit`. */
  listDead(queues: string[], limit: number): Promise<DeadMessage[]>;
  /** How many dead messages each origin has (null: those that concern no remote server), most first. */
  countDeadByOrigin(queues: string[]): Promise<{ origin: string | null; count: number }[]>;
  /**
   * Moves the selected dead messages back to their live queue, due at `now`,
   * with no attempts counted, and wakes the listeners. Returns how many moved.
   */
  retryDead(queues: string[], selection: DeadSelection, now: number): Promise<number>;
  /** Deletes the selected dead messages; returns how many. */
  discardDead(queues: string[], selection: DeadSelection): Promise<number>;
}

/** A selection as statement parameters: what kind, the id, the origin. */
export function selectionParams(selection: DeadSelection): { mode: "id" | "origin" | "all"; id: number | null; origin: string | null } {
  if ("id" in selection) return { mode: "id", id: selection.id, origin: null };
  if ("origin" in selection) return { mode: "origin", id: null, origin: selection.origin };
  return { mode: "all", id: null, origin: null };
}

export const deadQueueOf = (queue: string) => `${queue}:dead`;

/**
 * The rows of `queue_messages`, which holds every queue: what a durable queue
 * needs of them. One implementation per database.
 */
export interface QueueTable {
  /**
   * Adds messages, made as they are written (a fan-out's thousands are never
   * all held at once), in chunks of INSERT_CHUNK: each chunk commits, and
   * wakes the listeners, while the rest are still being written. Should the
   * process die between chunks, what enqueued them runs again: at least
   * once, as ever. `shared`, the fields every one of these messages has
   * besides its own payload, is written once per chunk, in the chunk's
   * transaction, and goes with the last of its messages.
   */
  insert(
    queue: string,
    messages: Iterable<NewMessage>,
    orderingKey: string | null,
    availableAt: number,
    shared?: string | null,
  ): Promise<void>;
  /**
   * Atomically claims up to `limit` due messages that nobody holds, leaving out
   * any whose ordering key has an older message still waiting, and no more
   * for one origin than its share leaves room for; counts the attempt.
   */
  claim(queue: string, now: number, lockedUntil: number, limit: number, shares: OriginShares): Promise<ClaimedMessage[]>;
  /** Removes handled messages, in one statement however many. */
  remove(ids: number[]): Promise<void>;
  /** Lets go of a message so it is tried again at `availableAt`. */
  release(id: number, availableAt: number): Promise<void>;
  /** Moves a message to another queue (the dead letters) and lets go of it; `at` is when (its `available_at` from then on). */
  move(id: number, queue: string, at: number): Promise<void>;
  renew(ids: number[], lockedUntil: number): Promise<void>;
  nextDueAt(queue: string, now: number): Promise<number | null>;
  depth(queue: string, now: number): Promise<QueueDepth>;
  /** Every queue that holds messages (the dead letters' too), in one read: for monitoring. */
  queueStats(now: number): Promise<QueueStats[]>;
  /** Fires when any listener of this process (or, on PostgreSQL, any process) should look again. */
  signal: QueueSignal;
  /** Gets ready to hear about new messages from other processes. */
  prepareToListen(): Promise<void>;
}

/** The queue table on whichever database this is. */
export function createQueueTable(database: Database): QueueTable & DeadLetterTable {
  return database.kind === "postgres" ? new PostgresQueueTable(database) : new SqliteQueueTable(database);
}

/**
 * Of the candidates (due messages, in the order they are due), the ids of
 * those to run: at most `limit`, and for each origin no more than its share
 * leaves room for, counting those of it already running.
 */
export function withinShares(candidates: { id: number; origin: string | null }[], limit: number, shares: OriginShares): number[] {
  const taking = new Map<string, number>();
  const chosen: number[] = [];
  for (const { id, origin } of candidates) {
    if (chosen.length === limit) break;
    if (origin !== null) {
      const taken = taking.get(origin) ?? 0;
      if ((shares.running[origin] ?? 0) + taken >= shares.perOrigin) continue;
      taking.set(origin, taken + 1);
    }
    chosen.push(id);
  }
  return chosen;
}

/**
 * How many due messages a claim looks at to find `limit` it may run: enough
 * that one origin's backlog at the head of the queue leaves room for others.
 */
export function candidatesFor(limit: number): number {
  return Math.max(64, limit * 4);
}
