import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/database.ts";
import { seedFollowedCommunity, spawnServer, startInboxSink, waitFor, type InboxSink, type ServerProcess } from "../helpers/crash-harness.ts";
import { freePort } from "../helpers/instance.ts";

const FOLLOWERS = 300;
/** How long the sink takes to answer each delivery, so that the fan-out lasts a few seconds. */
const SINK_DELAY_MS = 60;

/**
 * The durable queue loses no delivery when the process dies: a community with
 * many remote followers publishes, the server is killed (SIGKILL) mid fan-out,
 * and after a restart every follower's inbox still gets the Announce.
 */
describe("crash recovery of the delivery queue", () => {
  const root = join(import.meta.dirname, "..", "..");
  let dir: string;
  let sink: InboxSink;
  let port: number;
  let token: string;
  let env: Record<string, string>;
  const children: ServerProcess[] = [];

  const start = () => {
    const server = spawnServer(env, root);
    children.push(server);
    return server;
  };
  const waitHealthy = (server: ServerProcess) =>
    waitFor(
      async () => {
        if (server.child.exitCode !== null || server.child.signalCode !== null) {
          throw new Error(`server exited early:\n${server.output()}`);
        }
        const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2_000) });
        return response.ok;
      },
      60_000,
      () => `/health on port ${port}; output so far:\n${server.output()}`,
      100,
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "connexo-crash-"));
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
      CONNEXO_QUEUE_CONCURRENCY: "8",
      CONNEXO_LOG_LEVEL: "warning",
      CONNEXO_PROCESS: "all",
    };
  }, 60_000);

  afterAll(async () => {
    for (const child of children) await child.stop().catch(() => {});
    await sink?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("delivers the Announce to every follower after a SIGKILL mid fan-out", async () => {
    const t0 = Date.now();
    const first = start();
    await waitHealthy(first);
    const tHealthy = Date.now();

    const response = await fetch(`http://127.0.0.1:${port}/api/v1/weeknotes`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        community: "team",
        title: "Crash week",
        summary: "What happens when the power goes.",
        body: "We pulled the plug half-way through the fan-out.",
        tags: ["resilience"],
      }),
    });
    expect(response.status).toBe(201);
    const post = (await response.json()) as { id: string };
    const announceId = `http://127.0.0.1:${port}/activities/announce-${post.id}`;
    const delivered = () => sink.received("Announce", announceId);

    // Kill the whole process tree once some, but not all, followers have the Announce.
    const low = Math.ceil(FOLLOWERS * 0.1);
    await waitFor(
      () => delivered().size >= low,
      60_000,
      () => `first deliveries (${delivered().size}/${FOLLOWERS}); received ids: ${JSON.stringify(sink.keys())}\n${first.output()}`,
      5,
    );
    const countAtKill = delivered().size;
    await first.kill();
    const countAfterKill = delivered().size;
    const tKilled = Date.now();
    expect(first.child.signalCode ?? first.child.exitCode).not.toBeNull();

    const second = start();
    await waitHealthy(second);
    const tRestarted = Date.now();
    await waitFor(
      () => delivered().size === FOLLOWERS,
      60_000,
      () => `all deliveries after restart (${delivered().size}/${FOLLOWERS})\n${second.output()}`,
      50,
    );
    const tDone = Date.now();

    const counts = delivered();
    const missing = Array.from({ length: FOLLOWERS }, (_, n) => n).filter((n) => !counts.has(n));
    const duplicates = [...counts.values()].reduce((sum, c) => sum + c - 1, 0);
    console.info(
      `crash-recovery: ${countAtKill}/${FOLLOWERS} delivered at kill (${countAfterKill} once dead); ` +
        `all ${counts.size} after restart; ${duplicates} duplicate deliveries; ` +
        `start ${tHealthy - t0} ms, to kill ${tKilled - tHealthy} ms, restart ${tRestarted - tKilled} ms, rest ${tDone - tRestarted} ms`,
    );
    expect(countAtKill).toBeGreaterThan(0);
    expect(countAtKill).toBeLessThan(FOLLOWERS);
    expect(countAfterKill).toBeLessThan(FOLLOWERS);
    expect(missing).toEqual([]);
    expect(counts.size).toBe(FOLLOWERS);
  }, 120_000);
});
