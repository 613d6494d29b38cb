import type { MessageQueue, MessageQueueDepth, MessageQueueEnqueueOptions, MessageQueueListenOptions } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { Database } from "../src/storage/database.ts";
import { type ClaimedMessage, createQueueTable, type OriginShares, type QueueTable, wholePayload } from "../src/storage/queue-table.ts";
import { batched } from "./batched.ts";
import { durationToMs } from "./duration.ts";
import { splitShared } from "./shared-fields.ts";

/** What became of a message a handler was given. */
export type HandledOutcome = "done" | "retried" | "dead";

/**
 * What a handler may answer besides nothing: "retried" when it finished the
 * message by queueing it again for later itself, as Fedify does with a
 * delivery that failed. The message is removed as done, but counted as retried.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: handlers that return nothing (Fedify's) must fit as they are.
export type HandlerVerdict = void | "retried";

/** A queue whose handlers may answer a verdict: ours. */
export interface VerdictQueue extends MessageQueue {
  // biome-ignore lint/suspicious/noExplicitAny: Fedify's MessageQueue interface hands handlers its messages as any.
  listen(handler: (message: any) => Promise<HandlerVerdict> | HandlerVerdict, options?: MessageQueueListenOptions): Promise<void>;
}

export interface QueueOptions {
  /** The queue's name in the shared table: "fedify" for Fedify's messages, "events" for ours. */
  queue: string;
  /** How many messages one process handles at once. */
  concurrency: number;
  /** How long a claim lasts before another worker may take the message; renewed while it runs. */
  leaseMs: number;
  /** How often to look for work when no wake-up comes (also how soon a dead worker's lapsed claims are seen). */
  pollIntervalMs?: number;
  /** Failed handlings before a message is set aside as dead. */
  maxAttempts?: number;
  /**
   * How long a handler may run. Past it the handler is abandoned (left to end
   * on its own, no longer holding a slot or renewing its lease) and the message
   * is retried later with back-off, like a failure.
   */
  handlerTimeoutMs?: number;
  /**
   * Once the listener is told to stop, how long handlers in flight may still
   * take to finish. Messages still running then are let go of, due at once,
   * so that another listener (or this one, started again) takes them over
   * without waiting for their lease to lapse. Their handlers are left to end
   * on their own and settle nothing.
   */
  drainTimeoutMs?: number;
  /** The remote origin a message concerns, if any: at most `perOrigin` such messages run at once. */
  originOf?: (message: unknown) => string | null;
  perOrigin?: number;
  /** The time, in epoch milliseconds; tests move it. */
  now?: () => number;
  /** Told what became of each message handled: done, retried later, or set aside as dead (metrics count these). */
  onHandled?: (payload: unknown, outcome: HandledOutcome) => void;
}

const logger = getLogger(["connexo", "queue"]);

/** Fedify's queue and our events queue, on whichever database this instance uses. */
export function createMessageQueue(database: Database, options: QueueOptions): DurableMessageQueue {
  return new DurableMessageQueue(createQueueTable(database), options);
}

/**
 * A durable message queue on a database table. A message stays in the table
 * until its handler finishes, so a process that dies mid-way loses nothing:
 * its claims lapse after the lease and another listener takes them over.
 * Messages that share an ordering key are handled one at a time, in order.
 */
export class DurableMessageQueue implements VerdictQueue {
  // Fedify retries failed deliveries itself, by enqueueing them again with a delay.
  readonly nativeRetrial = false;
  readonly #table: QueueTable;
  readonly #options: Required<QueueOptions>;
  /**
   * Removes a handled message, together with the others handled meanwhile: one
   * statement (on SQLite, one commit) for a burst of deliveries instead of one
   * each. The handler's work is done before; should the process die before
   * the removal, the message is handled again, never lost.
   */
  readonly #removeHandled: (id: number) => Promise<void>;

  constructor(table: QueueTable, options: QueueOptions) {
    this.#table = table;
    this.#removeHandled = batched((ids) => table.remove(ids));
    this.#options = {
      pollIntervalMs: 500,
      maxAttempts: 10,
      handlerTimeoutMs: 10 * 60_000,
      originOf: () => null,
      perOrigin: options.concurrency,
      drainTimeoutMs: options.handlerTimeoutMs ?? 10 * 60_000,
      now: Date.now,
      onHandled: () => {},
      ...options,
    };
  }

  get name(): string {
    return this.#options.queue;
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    const { now, originOf } = this.#options;
    const availableAt = now() + (options?.delay ? durationToMs(options.delay) : 0);
    const { shared, own } = splitShared(messages);
    // Each message is written out as its row is inserted: a fan-out's thousands share one activity
    // until then, and written out all at once they would hold tens of megabytes.
    const rows = (function* () {
      for (const message of messages) yield { payload: JSON.stringify(own(message)), origin: originOf(message) };
    })();
    await this.#table.insert(this.#options.queue, rows, options?.orderingKey ?? null, availableAt, shared);
  }

  async getDepth(): Promise<MessageQueueDepth> {
    return this.#table.depth(this.#options.queue, this.#options.now());
  }

  // biome-ignore lint/suspicious/noExplicitAny: Fedify's MessageQueue interface hands handlers its messages as any.
  async listen(
    handler: (message: any) => Promise<HandlerVerdict> | HandlerVerdict,
    options: MessageQueueListenOptions = {},
  ): Promise<void> {
    const { signal } = options;
    const { queue, concurrency, leaseMs, pollIntervalMs, perOrigin, now } = this.#options;
    const table = this.#table;
    const inFlight = new Map<number, Promise<void>>();
    // Messages let go of when stopping: their handlers, if they ever end, must not touch them.
    const abandoned = new Set<number>();
    // Messages running per remote origin: one slow server never takes every slot.
    const perOriginRunning = new Map<string, number>();
    const shares = (): OriginShares => ({ perOrigin, running: Object.fromEntries(perOriginRunning) });
    let wake: (() => void) | null = null;
    let woken = false;
    const poke = (name: string) => {
      if (name !== queue) return;
      woken = true;
      wake?.();
    };
    await table.prepareToListen();
    table.signal.on("enqueued", poke);
    signal?.addEventListener("abort", () => wake?.());
    // Keep our claims alive while handlers run, so slow deliveries are not taken twice.
    const renew = setInterval(
      () => {
        const ids = [...inFlight.keys()];
        if (ids.length > 0) table.renew(ids, now() + leaseMs).catch((error) => logger.warn("Could not renew leases: {error}", { error }));
      },
      Math.max(250, leaseMs / 3),
    );
    try {
      while (!signal?.aborted) {
        woken = false;
        const free = concurrency - inFlight.size;
        const claimed = free > 0 ? await this.#claim(free, shares()) : [];
        for (const message of claimed) {
          const { origin } = message;
          if (origin !== null) perOriginRunning.set(origin, (perOriginRunning.get(origin) ?? 0) + 1);
          const done = this.#handle(message, handler, abandoned)
            // If the database fails us here, the claim lapses and the message is handled again later.
            .catch((error) => logger.error("Could not settle message {id} on {queue}: {error}", { id: message.id, queue, error }))
            .finally(() => {
              inFlight.delete(message.id);
              if (origin !== null) {
                const left = (perOriginRunning.get(origin) ?? 1) - 1;
                if (left > 0) perOriginRunning.set(origin, left);
                else perOriginRunning.delete(origin);
              }
              wake?.();
            });
          inFlight.set(message.id, done);
        }
        if ((claimed.length === free && free > 0) || woken) continue;
        const sleepMs = await this.#nextDueIn(pollIntervalMs);
        if (woken || signal?.aborted) continue;
        await new Promise<void>((resolve) => {
          // A wake-up from enqueue() runs on a later turn, after the enqueuing transaction committed.
          const timer = setTimeout(done, sleepMs);
          function done() {
            clearTimeout(timer);
            resolve();
          }
          wake = () => setImmediate(done);
        });
        wake = null;
      }
      await this.#drain(inFlight, abandoned);
    } finally {
      clearInterval(renew);
      table.signal.off("enqueued", poke);
    }
  }

  async #claim(limit: number, shares: OriginShares): Promise<ClaimedMessage[]> {
    const now = this.#options.now();
    try {
      return await this.#table.claim(this.#options.queue, now, now + this.#options.leaseMs, limit, shares);
    } catch (error) {
      // The database may be briefly unreachable: log, and try again on the next round.
      logger.warn("Could not claim messages on {queue}: {error}", { queue: this.#options.queue, error });
      return [];
    }
  }

  /**
   * Lets the handlers in flight finish, for at most `drainTimeoutMs`; then
   * lets go of the messages still running, due at once, so none waits out
   * its lease. The attempt they were claimed for stays counted.
   */
  async #drain(inFlight: Map<number, Promise<void>>, abandoned: Set<number>): Promise<void> {
    const { queue, now, drainTimeoutMs } = this.#options;
    if (inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.allSettled(inFlight.values()).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), drainTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (finished) return;
    const left = [...inFlight.keys()];
    for (const id of left) abandoned.add(id);
    logger.warn("Stopping with {count} messages on {queue} still running; released to be taken again", { count: left.length, queue });
    const at = now();
    const results = await Promise.allSettled(left.map((id) => this.#table.release(id, at)));
    const failed = results.filter((result) => result.status === "rejected").length;
    // If the database fails us here, those claims lapse after their lease instead.
    if (failed > 0)
      logger.error("Could not release {failed} messages on {queue}; they are taken again once their lease lapses", { failed, queue });
  }

  async #handle(
    message: ClaimedMessage,
    handler: (message: unknown) => Promise<HandlerVerdict> | HandlerVerdict,
    abandoned: Set<number>,
  ): Promise<void> {
    const { maxAttempts, queue, now, handlerTimeoutMs, onHandled } = this.#options;
    let payload: unknown;
    let verdict: HandlerVerdict;
    try {
      verdict = await withDeadline(
        Promise.resolve().then(() => {
          payload = wholePayload(message.payload, message.shared);
          return handler(payload);
        }),
        handlerTimeoutMs,
      );
    } catch (error) {
      if (abandoned.has(message.id)) return;
      if (message.attempts >= maxAttempts) {
        logger.error("Message {id} on {queue} failed {attempts} times; set aside as dead: {error}", {
          id: message.id,
          queue,
          attempts: message.attempts,
          error,
        });
        await this.#table.move(message.id, `${queue}:dead`, now());
        onHandled(payload, "dead");
        return;
      }
      const backoffMs = Math.min(2 ** message.attempts * 1000, 3_600_000);
      logger.warn("Message {id} on {queue} failed; retrying in {backoffMs} ms: {error}", { id: message.id, queue, backoffMs, error });
      await this.#table.release(message.id, now() + backoffMs);
      onHandled(payload, "retried");
      return;
    }
    // Let go of at shutdown, the message may already be someone else's: a second delivery, never a lost one.
    if (abandoned.has(message.id)) return;
    await this.#removeHandled(message.id);
    onHandled(payload, verdict === "retried" ? "retried" : "done");
  }

  /** How long to sleep: until the next delayed message is due, at most one poll interval. */
  async #nextDueIn(pollIntervalMs: number): Promise<number> {
    const now = this.#options.now();
    const at = await this.#table.nextDueAt(this.#options.queue, now).catch(() => null);
    return at ? Math.max(1, Math.min(pollIntervalMs, at - now)) : pollIntervalMs;
  }
}

export class HandlerTimeoutError extends Error {
  override name = "HandlerTimeoutError";
}

/** Settles with the work, or fails once the deadline passes; the work itself is left to end on its own. */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HandlerTimeoutError(`Handler still running after ${ms} ms; abandoned`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
