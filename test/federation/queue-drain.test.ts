import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMessageQueue } from "../../federation/queue.ts";
import { openDatabase, type Database } from "../../src/storage/database.ts";
import { createQueueTable } from "../../src/storage/queue-table.ts";
import { createTestDatabase, dialect, queryRows } from "../helpers/database.ts";
import { eventually } from "../helpers/eventually.ts";

const QUEUE = "drain";

/** A listener told to stop lets its handlers finish for `drainTimeoutMs`, then releases what still runs. */
describe(`stopping a queue listener on ${dialect}`, () => {
  let dir: string;
  let database: Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "connexo-drain-"));
    database = await openDatabase(await createTestDatabase(dir));
  });
  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = () =>
    queryRows<{ payload: string; lockedUntil: number | null }>(
      database,
      `SELECT payload, locked_until AS "lockedUntil" FROM queue_messages WHERE queue = '${QUEUE}' ORDER BY id`,
    );

  it("lets handlers in flight finish within the deadline, and removes their messages", async () => {
    const queue = createMessageQueue(database, { queue: QUEUE, concurrency: 4, leaseMs: 60_000, drainTimeoutMs: 5_000 });
    const finished: unknown[] = [];
    const stop = new AbortController();
    let started = 0;
    const done = queue.listen(
      async (message) => {
        started++;
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished.push(message);
      },
      { signal: stop.signal },
    );
    await queue.enqueueMany([1, 2]);
    await eventually(() => started === 2, 5_000, "both handlers started");
    stop.abort();
    await done;
    expect(finished.sort()).toEqual([1, 2]);
    expect(await rows()).toEqual([]);
  });

  it("releases the messages still running at the deadline, due at once, and leaves them alone when their handlers end", async () => {
    const queue = createMessageQueue(database, { queue: QUEUE, concurrency: 4, leaseMs: 60_000, drainTimeoutMs: 200 });
    const stop = new AbortController();
    let finish = () => {};
    const hanging = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let started = 0;
    const done = queue.listen(
      async () => {
        started++;
        await hanging;
      },
      { signal: stop.signal },
    );
    await queue.enqueue("slow");
    await eventually(() => started === 1, 5_000, "the handler started");
    const t0 = Date.now();
    stop.abort();
    await done;
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(await rows()).toEqual([{ payload: '"slow"', lockedUntil: null }]);
    // Another listener may take it at once, without waiting out the lease.
    const claimed = await createQueueTable(database).claim(QUEUE, Date.now(), Date.now() + 60_000, 1, { perOrigin: 1, running: {} });
    expect(claimed.map((m) => m.payload)).toEqual(['"slow"']);
    // The abandoned handler ending later does not remove what is now another listener's.
    finish();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await rows()).toHaveLength(1);
  });
});
