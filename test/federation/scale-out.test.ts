import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedFollowedCommunity, spawnServer, startInboxSink, waitFor, type InboxSink, type ServerProcess } from "../helpers/crash-harness.ts";
import { createTestDatabase, dialect } from "../helpers/database.ts";
import { freePort } from "../helpers/instance.ts";

const FOLLOWERS = 300;
const SINK_DELAY_MS = 100;

/**
 * Scale-out on PostgreSQL: one web process and two worker processes share a
 * database. A weeknote fans out to many inboxes, both workers deliver, one
 * is killed hard mid-way, and the other finishes: every inbox gets the
 * Announce at least once, and no delivery is ever made twice at the same time.
 */
describe.skipIf(dialect !== "postgres")("web and worker processes on one PostgreSQL database", () => {
  const root = join(import.meta.dirname, "..", "..");
  let dir: string;
  let sink: InboxSink;
  let port: number;
  let token: string;
  let env: Record<string, string>;
  const children: ServerProcess[] = [];
  const sentAnnounce = /Successfully sent activity.*announce-/;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "connexo-scale-"));
    const database = await createTestDatabase(dir);
    sink = await startInboxSink(SINK_DELAY_MS);
    port = await freePort();
    token = await seedFollowedCommunity(database, sink, FOLLOWERS);
    env = {
      CONNEXO_DATABASE: database,
      CONNEXO_PORT: String(port),
      CONNEXO_ORIGIN: `http://127.0.0.1:${port}`,
      CONNEXO_ALLOW_PRIVATE_ADDRESS: "true",
      CONNEXO_QUEUE_LEASE_SECONDS: "2",
      CONNEXO_QUEUE_CONCURRENCY: "4",
      CONNEXO_LOG_LEVEL: "warning",
    };
  }, 60_000);

  afterAll(async () => {
    for (const child of children) await child.stop().catch(() => {});
    await sink?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const startWeb = async () => {
    const web = spawnServer({ ...env, CONNEXO_PROCESS: "web" }, root);
    children.push(web);
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2_000) })).ok,
      60_000,
      () => `the web process; output:\n${web.output()}`,
      100,
    );
    return web;
  };
  // Debug logs name each delivery, so we can tell which worker made it.
  const startWorker = async () => {
    const worker = spawnServer({ ...env, CONNEXO_PROCESS: "worker", CONNEXO_LOG_LEVEL: "debug" }, root, sentAnnounce);
    children.push(worker);
    await waitFor(() => worker.output().includes("Queue worker started"), 60_000, () => `a worker; output:\n${worker.output()}`, 100);
    return worker;
  };

  it("delivers to every inbox though a worker dies mid fan-out, never twice at once", async () => {
    const [web, a, b] = await Promise.all([startWeb(), startWorker(), startWorker()]);

    const response = await fetch(`http://127.0.0.1:${port}/api/v1/weeknotes`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ community: "team", title: "Scale week", summary: "Many hands.", body: "Two workers share the load." }),
    });
    expect(response.status).toBe(201);
    const post = (await response.json()) as { id: string };
    const delivered = () => sink.received("Announce", `http://127.0.0.1:${port}/activities/announce-${post.id}`);

    // Both workers are taking deliveries before one of them dies.
    await waitFor(
      () => a.matchedLines() > 0 && b.matchedLines() > 0 && delivered().size >= FOLLOWERS * 0.15,
      60_000,
      () => `both workers delivering (a ${a.matchedLines()}, b ${b.matchedLines()}, inboxes ${delivered().size})\n${web.output()}`,
      5,
    );
    const byAAtKill = a.matchedLines();
    const atKill = delivered().size;
    await a.kill();
    const byBAtKill = b.matchedLines();
    expect(atKill).toBeLessThan(FOLLOWERS);

    await waitFor(() => delivered().size === FOLLOWERS, 60_000, () => `all inboxes (${delivered().size}/${FOLLOWERS})\n${b.output().slice(-5000)}`, 50);
    const counts = delivered();
    const duplicates = [...counts.values()].reduce((sum, c) => sum + c - 1, 0);
    console.info(
      `scale-out: worker A sent ${byAAtKill} before it was killed at ${atKill}/${FOLLOWERS}; ` +
        `worker B sent ${byBAtKill} by then and ${b.matchedLines()} in all; ${duplicates} duplicate deliveries; ${sink.overlaps()} overlapping`,
    );
    expect(Array.from({ length: FOLLOWERS }, (_, n) => n).filter((n) => !counts.has(n))).toEqual([]);
    expect(b.matchedLines()).toBeGreaterThan(byBAtKill);
    expect(sink.overlaps()).toBe(0);
  }, 180_000);
});

describe("the inbox sink's overlap count", () => {
  it("counts an activity arriving at an inbox while the same one is still being delivered there", async () => {
    const sink = await startInboxSink(200);
    try {
      const post = (inbox: number, id: string) =>
        fetch(`http://127.0.0.1:${sink.port}/inbox/${inbox}`, { method: "POST", body: JSON.stringify({ type: "Announce", id }) });
      // Same activity to two inboxes, and a different one to the first: no overlap.
      await Promise.all([post(1, "a"), post(2, "a"), post(1, "b")]);
      expect(sink.overlaps()).toBe(0);
      // The same activity to the same inbox at once: one overlap.
      await Promise.all([post(1, "a"), post(1, "a")]);
      expect(sink.overlaps()).toBe(1);
      expect(sink.received("Announce", "a").get(1)).toBe(3);
    } finally {
      await sink.close();
    }
  });
});
