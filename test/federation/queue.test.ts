import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Temporal } from "@js-temporal/polyfill";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMessageQueue, DurableMessageQueue, type QueueOptions } from "../../federation/queue.ts";
import { createQueueTable } from "../../src/storage/queue-table.ts";
import { createStore, openDatabase, type Database } from "../../src/storage/database.ts";
import { holdTransactionOpen } from "../helpers/open-transaction.ts";
import { ManualClock } from "../helpers/clock.ts";
import { createTestDatabase, dialect, queryRows } from "../helpers/database.ts";
import { eventually } from "../helpers/eventually.ts";

const QUEUE = "test";

describe(`DurableMessageQueue on ${dialect}`, () => {
  let dir: string;
  let location: string;
  const opened: Database[] = [];
  const listeners: { stop: AbortController; done: Promise<void> }[] = [];
  /** The queues' clock: tests move it instead of waiting for messages to fall due or leases to lapse. */
  let clock: ManualClock;
  /**
   * Resolves once the listeners on this clock have claimed again since it was
   * called: a listener reads the clock when it claims and before it sleeps,
   * so three more readings (four, should a lease renewal read it meanwhile)
   * include a claim that started after the call and finished.
   */
  const claimedAgain = (on = clock) => on.readAgain(4);

  const open = async () => {
    const database = await openDatabase(location);
    opened.push(database);
    return database;
  };
  const queueOn = (database: Database, options: Partial<QueueOptions> = {}) =>
    createMessageQueue(database, { queue: QUEUE, concurrency: 4, leaseMs: 10_000, pollIntervalMs: 50, now: clock.now, ...options });
  /** Starts a listener; stopped after each test. */
  const listen = (queue: DurableMessageQueue, handler: (message: any) => Promise<void> | void) => {
    const stop = new AbortController();
    const done = queue.listen(handler, { signal: stop.signal });
    const entry = { stop, done };
    listeners.push(entry);
    return entry;
  };
  const rows = (database: Database) =>
    queryRows<{ id: number; queue: string; payload: string; attempts: number; availableAt: number; lockedUntil: number | null }>(
      database,
      'SELECT id, queue, payload, attempts, available_at AS "availableAt", locked_until AS "lockedUntil" FROM queue_messages ORDER BY id',
    );

  beforeEach(async () => {
    clock = new ManualClock();
    dir = mkdtempSync(join(tmpdir(), "connexo-queue-"));
    location = await createTestDatabase(dir);
  });
  afterEach(async () => {
    const stopping = listeners.splice(0);
    for (const l of stopping) l.stop.abort();
    // A listener waits for its handlers; those that hang on purpose are released by their tests, so this is only a safeguard.
    await Promise.race([Promise.all(stopping.map((l) => l.done)), new Promise((resolve) => setTimeout(resolve, 2000))]);
    for (const database of opened.splice(0)) await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("delivers each message once, then removes it", async () => {
    const database = await open();
    const queue = queueOn(database);
    const received: unknown[] = [];
    listen(queue, (m) => {
      received.push(m);
    });
    await queue.enqueue({ n: 1 });
    await queue.enqueue({ n: 2 });
    await queue.enqueue("three");
    await eventually(() => received.length === 3, 5000, "three messages");
    // Once they are removed, nothing is left to deliver again.
    await eventually(async () => (await rows(database)).length === 0, 5000, "the messages removed");
    expect(received).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }, "three"]));
    expect(received).toHaveLength(3);
    expect(await rows(database)).toEqual([]);
    expect(await queue.getDepth()).toEqual({ queued: 0, ready: 0, delayed: 0 });
  });

  it("removes messages handled together in one statement, not one each", async () => {
    const database = await open();
    const table = createQueueTable(database);
    const removals: number[][] = [];
    const remove = table.remove.bind(table);
    table.remove = (ids) => {
      removals.push(ids);
      return remove(ids);
    };
    const queue = new DurableMessageQueue(table, { queue: QUEUE, concurrency: 20, leaseMs: 10_000, pollIntervalMs: 50, now: clock.now });
    let finish!: () => void;
    const allClaimed = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let handled = 0;
    listen(queue, async () => {
      handled++;
      await allClaimed;
    });
    await queue.enqueueMany(Array.from({ length: 20 }, (_, n) => ({ n })));
    await eventually(() => handled === 20, 5000, "twenty messages handled at once");
    finish();
    await eventually(async () => (await rows(database)).length === 0, 5000, "the messages removed");
    expect(new Set(removals.flat()).size).toBe(20);
    expect(removals.length).toBeLessThanOrEqual(2);
  });

  it("delivers each message once between two listeners on two connections", async () => {
    const first = await open();
    const a = queueOn(first);
    const b = queueOn(await open());
    const received: number[] = [];
    const handler = async (m: number) => {
      // Handlers overlap, as with real work.
      await new Promise((resolve) => setImmediate(resolve));
      received.push(m);
    };
    listen(a, handler);
    listen(b, handler);
    await a.enqueueMany(Array.from({ length: 40 }, (_, i) => i));
    await eventually(() => received.length >= 40, 10_000, "forty messages");
    await eventually(async () => (await rows(first)).length === 0, 5000, "the messages removed");
    expect(received.sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  // PostgreSQL tells other connections with NOTIFY; on SQLite they watch the file for other connections' commits.
  it("wakes listeners on other connections at once, without waiting to poll", async () => {
    // Polling every ten minutes: a message that arrives within seconds came by a wake-up.
    const listening = queueOn(await open(), { pollIntervalMs: 600_000 });
    const sending = queueOn(await open(), { pollIntervalMs: 600_000 });
    const received: string[] = [];
    listen(listening, (m: string) => {
      received.push(m);
    });
    // Listening, it claimed (finding nothing) and read the clock again before going to sleep.
    await clock.readAgain(2);
    await sending.enqueue("hello");
    await eventually(() => received.length === 1, 5000, "the message");
    expect(received).toEqual(["hello"]);
  });

  it("only queues messages on its own queue name", async () => {
    const database = await open();
    const mine = queueOn(database);
    const other = queueOn(database, { queue: "other" });
    await other.enqueue("not mine");
    expect(await mine.getDepth()).toEqual({ queued: 0, ready: 0, delayed: 0 });
    expect(await other.getDepth()).toEqual({ queued: 1, ready: 1, delayed: 0 });
    expect(mine.name).toBe(QUEUE);
  });

  it("holds a delayed message until it is due", async () => {
    const queue = queueOn(await open());
    let receivedAt: number | null = null;
    const start = clock.time;
    await queue.enqueue("later", { delay: Temporal.Duration.from({ milliseconds: 400 }) });
    expect(await queue.getDepth()).toEqual({ queued: 1, ready: 0, delayed: 1 });
    listen(queue, () => {
      receivedAt = clock.time;
    });
    await claimedAgain();
    clock.advance(399);
    await claimedAgain();
    expect(receivedAt).toBeNull();
    clock.advance(1);
    await eventually(() => receivedAt !== null, 5000, "the delayed message");
    expect(receivedAt).toBe(start + 400);
  });

  it("handles messages with the same ordering key one at a time, in order", async () => {
    const queue = queueOn(await open(), { concurrency: 8 });
    const received: string[] = [];
    let running = 0;
    let maxRunning = 0;
    listen(queue, async (m: { key: string; n: number }) => {
      if (m.key === "k") {
        running++;
        maxRunning = Math.max(maxRunning, running);
        // Running until the listener has claimed again: had it taken the next one meanwhile, they would overlap.
        await claimedAgain();
        running--;
      }
      received.push(`${m.key}${m.n}`);
    });
    for (let n = 0; n < 5; n++) await queue.enqueue({ key: "k", n }, { orderingKey: "k" });
    await queue.enqueue({ key: "free", n: 0 });
    await eventually(() => received.length === 6, 5000, "six messages");
    expect(received.filter((r) => r.startsWith("k"))).toEqual(["k0", "k1", "k2", "k3", "k4"]);
    expect(maxRunning).toBe(1);
    // A message without the key is not held up behind them.
    expect(received.indexOf("free0")).toBeLessThan(received.indexOf("k4"));
  });

  it("enqueues a fan-out's thousands in order, however many chunks they take", async () => {
    const database = await open();
    const queue = queueOn(database);
    const sent = Array.from({ length: 1001 }, (_, i) => ({ inbox: `https://example.${i % 7}/inbox`, n: i }));
    await queue.enqueueMany(sent);
    expect((await rows(database)).map((row) => JSON.parse(row.payload))).toEqual(sent);
  });

  it("writes what a batch's messages share once a chunk, hands each handler its whole message, and lets it go with the last", async () => {
    const database = await open();
    const queue = queueOn(database);
    // As Fedify queues one activity's deliveries: the same activity and keys in every message, an inbox of its own.
    const activity = { id: "https://connexo.example/activities/1", type: "Announce", object: { content: "<p>Week 48</p>" } };
    const keys = [{ keyId: "https://connexo.example/@digital#main-key", privateKey: { kty: "RSA", n: "abc" } }];
    const sent = Array.from({ length: 450 }, (_, i) => ({
      type: "outbox",
      inbox: `https://example.${i}/inbox`,
      activity,
      keys,
      attempt: 0,
    }));
    await queue.enqueueMany(sent);
    const shared = () => queryRows<{ payload: string }>(database, "SELECT payload FROM queue_shared_payloads ORDER BY id");
    // One copy for each chunk of 200, each in its chunk's transaction; none in the messages' own rows.
    expect((await shared()).map((row) => JSON.parse(row.payload))).toEqual([
      { activity, keys },
      { activity, keys },
      { activity, keys },
    ]);
    const own = (await rows(database)).map((row) => JSON.parse(row.payload));
    expect(own[7]).toEqual({ type: "outbox", inbox: "https://example.7/inbox", attempt: 0 });

    const received: any[] = [];
    listen(queue, (m) => {
      received.push(structuredClone(m));
      // What one handler does to its message is not seen by the next, though they share it in the table.
      m.activity.object.content = "changed";
    });
    await eventually(async () => (await rows(database)).length === 0, 10_000, "every message handled and removed");
    expect(received.sort((a, b) => a.inbox.localeCompare(b.inbox))).toEqual(sent.sort((a, b) => a.inbox.localeCompare(b.inbox)));
    expect(await shared()).toEqual([]);
  });

  it("writes nothing shared for messages that hold equal but separate objects, or for one message alone", async () => {
    const database = await open();
    const queue = queueOn(database);
    await queue.enqueueMany([{ activity: { id: 1 } }, { activity: { id: 1 } }]);
    await queue.enqueueMany([{ activity: { id: 2 } }]);
    expect(await queryRows(database, "SELECT id FROM queue_shared_payloads")).toEqual([]);
    expect((await rows(database)).map((row) => JSON.parse(row.payload))).toEqual([
      { activity: { id: 1 } },
      { activity: { id: 1 } },
      { activity: { id: 2 } },
    ]);
  });

  it("enqueues many messages at once, all with the same options", async () => {
    const database = await open();
    const queue = queueOn(database);
    await queue.enqueueMany(["a", "b", "c"], { orderingKey: "x" });
    await queue.enqueueMany(["d", "e"], { delay: Temporal.Duration.from({ seconds: 60 }) });
    expect(await queue.getDepth()).toEqual({ queued: 5, ready: 3, delayed: 2 });
    const received: string[] = [];
    listen(queue, (m: string) => {
      received.push(m);
    });
    await eventually(() => received.length === 3, 5000, "the ready messages");
    expect(received).toEqual(["a", "b", "c"]);
    expect(await queue.getDepth()).toEqual({ queued: 2, ready: 0, delayed: 2 });
  });

  it("puts a message whose handler throws back with a backoff, and retries it", async () => {
    const database = await open();
    const queue = queueOn(database);
    const attempts: number[] = [];
    listen(queue, () => {
      attempts.push(clock.time);
      if (attempts.length === 1) throw new Error("remote server down");
    });
    await queue.enqueue("flaky");
    await eventually(() => attempts.length === 1, 5000, "the first attempt");
    const [row] = await eventually(
      async () => {
        const r = await rows(database);
        return r[0]?.lockedUntil === null ? r : null;
      },
      5000,
      "the release",
    );
    expect(row).toMatchObject({ queue: QUEUE, attempts: 1, lockedUntil: null });
    const due = row!.availableAt;
    expect(due - attempts[0]!).toBeGreaterThanOrEqual(1900);
    expect(await queue.getDepth()).toMatchObject({ queued: 1, ready: 0, delayed: 1 });
    // Not tried again before its time.
    clock.advance(due - 1 - clock.time);
    await claimedAgain();
    expect(attempts).toHaveLength(1);
    clock.advance(1);
    await eventually(() => attempts.length === 2, 5000, "the retry");
    expect(attempts[1]).toBe(due);
    await eventually(async () => (await rows(database)).length === 0, 5000, "the message removed");
  });

  it("sets a message aside as dead after maxAttempts failures", async () => {
    const database = await open();
    const queue = queueOn(database, { maxAttempts: 1 });
    let calls = 0;
    listen(queue, () => {
      calls++;
      throw new Error("always fails");
    });
    await queue.enqueue("poison");
    const [row] = await eventually(
      async () => {
        const r = await rows(database);
        return r[0]?.queue === `${QUEUE}:dead` ? r : null;
      },
      5000,
      "the dead message",
    );
    expect(row).toMatchObject({ payload: JSON.stringify("poison"), attempts: 1, lockedUntil: null });
    expect(calls).toBe(1);
    expect(await queue.getDepth()).toEqual({ queued: 0, ready: 0, delayed: 0 });
  });

  it("lists a dead message of a batch whole, and lets what it shared go once the batch's last message is discarded", async () => {
    const database = await open();
    const queue = queueOn(database, { maxAttempts: 1 });
    const activity = { id: "https://connexo.example/activities/2", type: "Create" };
    listen(queue, () => {
      throw new Error("always fails");
    });
    await queue.enqueueMany([
      { inbox: "https://a.example/inbox", activity },
      { inbox: "https://b.example/inbox", activity },
    ]);
    const table = createQueueTable(database);
    const dead = await eventually(
      async () => {
        const listed = await table.listDead([QUEUE], 10);
        return listed.length === 2 ? listed : null;
      },
      5000,
      "both messages dead",
    );
    expect(dead.map((m) => JSON.parse(m.payload)).sort((a, b) => a.inbox.localeCompare(b.inbox))).toEqual([
      { inbox: "https://a.example/inbox", activity },
      { inbox: "https://b.example/inbox", activity },
    ]);
    const shared = () => queryRows(database, "SELECT id FROM queue_shared_payloads");
    expect(await table.discardDead([QUEUE], { id: dead[0]!.id })).toBe(1);
    expect(await shared()).toHaveLength(1);
    expect(await table.discardDead([QUEUE], { all: true })).toBe(1);
    expect(await shared()).toEqual([]);
  });

  it("takes over a message whose claim lapsed because its worker died", async () => {
    const database = await open();
    const queue = queueOn(database, { leaseMs: 300 });
    await queue.enqueue("orphan");
    // A worker in another process claimed it, then died: its lease runs out and is never renewed.
    const claimedUntil = clock.time + 400;
    await queryRows(database, "UPDATE queue_messages SET locked_until = ?, attempts = 1", [claimedUntil]);
    let receivedAt: number | null = null;
    listen(queue, () => {
      receivedAt = clock.time;
    });
    await claimedAgain();
    clock.advance(399);
    await claimedAgain();
    expect(receivedAt).toBeNull();
    clock.advance(1);
    await eventually(() => receivedAt !== null, 5000, "the takeover");
    expect(receivedAt).toBeGreaterThanOrEqual(claimedUntil);
    await eventually(async () => (await rows(database)).length === 0, 5000, "the message removed");
  });

  it("renews the lease of a slow handler, so another listener does not take the message twice", async () => {
    const database = await open();
    const first = queueOn(database, { leaseMs: 300 });
    // The second listener has a clock of its own, kept in step, so the test knows when it has claimed again.
    const secondClock = new ManualClock(clock.time);
    const second = queueOn(await open(), { leaseMs: 300, now: secondClock.now });
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    let firstCalls = 0;
    let secondCalls = 0;
    listen(first, async () => {
      firstCalls++;
      await slow;
    });
    await first.enqueue("slow");
    await eventually(() => firstCalls === 1, 5000, "the first claim");
    listen(second, () => {
      secondCalls++;
    });
    // Over three leases pass, a little at a time: each time the first listener renews its lease, and the
    // second finds the message taken. Without renewal the second listener would take it.
    for (let step = 1; step <= 5; step++) {
      clock.advance(200);
      secondClock.advance(200);
      await eventually(async () => (await rows(database))[0]?.lockedUntil === clock.time + 300, 5000, "the lease renewed");
      await claimedAgain(secondClock);
      expect(secondCalls, `after ${step * 200} ms`).toBe(0);
    }
    release();
    await eventually(async () => (await rows(database)).length === 0, 5000, "the message done");
    expect(firstCalls).toBe(1);
    expect(secondCalls).toBe(0);
    expect(await second.getDepth()).toEqual({ queued: 0, ready: 0, delayed: 0 });
  });

  it("a stopped listener waits for its running handlers and claims nothing new", async () => {
    const database = await open();
    const queue = queueOn(database);
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const received: string[] = [];
    // The listener's signal notes when the listener has seen that it was stopped.
    const stop = new AbortController();
    let sawStop = false;
    const signal = {
      get aborted() {
        if (stop.signal.aborted) sawStop = true;
        return stop.signal.aborted;
      },
      addEventListener: (type: "abort", listener: () => void) => stop.signal.addEventListener(type, listener),
    } as AbortSignal;
    const listener = {
      stop,
      done: queue.listen(
        async (m: string) => {
          received.push(m);
          await slow;
        },
        { signal },
      ),
    };
    listeners.push(listener);
    await queue.enqueue("first");
    await eventually(() => received.length === 1, 5000, "the first message");
    listener.stop.abort();
    let stopped = false;
    void listener.done.then(() => (stopped = true));
    await queue.enqueue("second");
    await eventually(() => sawStop, 5000, "the listener to see that it was stopped");
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await listener.done;
    expect(received).toEqual(["first"]);
    expect((await rows(database)).map((r) => r.payload)).toEqual([JSON.stringify("second")]);
  });

  it("keeps what it enqueues while a transaction of the store is open, when that transaction rolls back", async () => {
    const database = await open();
    const queue = queueOn(database);
    const transaction = await holdTransactionOpen(createStore(database));
    const enqueued = queue.enqueue("kept");
    transaction.rollBack();
    await expect(transaction.ended).rejects.toThrow("rolled back");
    await enqueued;
    expect((await rows(database)).map((r) => r.payload)).toEqual([JSON.stringify("kept")]);
    const received: string[] = [];
    listen(queue, (m: string) => {
      received.push(m);
    });
    await eventually(() => received.length === 1, 5000, "the message");
    expect(received).toEqual(["kept"]);
  });

  it("keeps messages across closing and reopening the database", async () => {
    const before = await open();
    const queue = queueOn(before);
    await queue.enqueueMany([{ n: 1 }, { n: 2 }]);
    await before.close();
    opened.splice(opened.indexOf(before), 1);

    const after = queueOn(await open());
    expect(await after.getDepth()).toEqual({ queued: 2, ready: 2, delayed: 0 });
    const received: unknown[] = [];
    listen(after, (m) => {
      received.push(m);
    });
    await eventually(() => received.length === 2, 5000, "the messages after reopening");
    expect(received).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }]));
  });
  it("abandons a handler that runs past its deadline, stops renewing its lease, and retries the message later", async () => {
    const database = await open();
    const queue = queueOn(database, { handlerTimeoutMs: 200, leaseMs: 600 });
    let calls = 0;
    const hanging = new Promise<void>(() => {});
    listen(queue, () => {
      calls++;
      if (calls === 1) return hanging;
    });
    await queue.enqueue("stuck once");
    await eventually(
      async () => (await rows(database)).some((r) => r.lockedUntil === null && r.attempts === 1),
      5000,
      "the message released",
    );
    const [released] = await rows(database);
    // Put back with a back-off, not left leased to the hung handler.
    expect(released!.availableAt).toBeGreaterThan(clock.time);
    clock.advance(released!.availableAt - clock.time);
    await eventually(() => calls === 2, 5000, "the retry");
    await eventually(async () => (await rows(database)).length === 0, 5000, "the message done");
  });

  it("runs at most its share of messages for one origin at once, so other origins are not held up", async () => {
    const database = await open();
    const queue = queueOn(database, {
      concurrency: 6,
      perOrigin: 2,
      originOf: (m) => (m as { origin: string }).origin,
    });
    let slowRunning = 0;
    let mostSlowAtOnce = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fast: number[] = [];
    listen(queue, async (m: { origin: string; n: number }) => {
      if (m.origin === "https://slow.example") {
        slowRunning++;
        mostSlowAtOnce = Math.max(mostSlowAtOnce, slowRunning);
        await gate;
        slowRunning--;
      } else fast.push(m.n);
    });
    await queue.enqueueMany(Array.from({ length: 20 }, (_, n) => ({ origin: "https://slow.example", n })));
    await queue.enqueueMany(Array.from({ length: 5 }, (_, n) => ({ origin: "https://fast.example", n })));
    await eventually(() => fast.length === 5, 5000, "the other origin's messages, while the slow ones wait");
    expect(mostSlowAtOnce).toBe(2);
    // The others were never claimed: no attempt counted.
    const waiting = (await rows(database)).filter((r) => r.lockedUntil === null);
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((r) => r.attempts === 0)).toBe(true);
    release();
    await eventually(async () => (await rows(database)).length === 0, 10_000, "every message done");
    expect(mostSlowAtOnce).toBe(2);
  });
});
