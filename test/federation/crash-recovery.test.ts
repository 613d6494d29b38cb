import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFanoutStage, waitFor, type FanoutStage } from "../helpers/crash-harness.ts";

const FOLLOWERS = 300;
/** How long the sink takes to answer each delivery, so that the fan-out lasts a few seconds. */
const SINK_DELAY_MS = 60;

/**
 * The durable queue loses no delivery when the process dies: a community with
 * many remote followers publishes, the server is killed (SIGKILL) mid fan-out,
 * and after a restart every follower's inbox still gets the Announce.
 */
describe("crash recovery of the delivery queue", () => {
  let stage: FanoutStage;

  beforeAll(async () => {
    stage = await startFanoutStage({
      followers: FOLLOWERS,
      sinkDelayMs: SINK_DELAY_MS,
      env: { CONNEXO_QUEUE_LEASE_SECONDS: "2", CONNEXO_QUEUE_CONCURRENCY: "8", CONNEXO_PROCESS: "all" },
    });
  }, 60_000);
  afterAll(() => stage?.close(), 60_000);

  it("delivers the Announce to every follower after a SIGKILL mid fan-out", async () => {
    const t0 = Date.now();
    const first = stage.spawn();
    await stage.waitHealthy(first);
    const tHealthy = Date.now();

    const announceId = await stage.publish("Crash week");
    const delivered = () => stage.sink.received("Announce", announceId);

    // Kill the whole process tree once some, but not all, followers have the Announce.
    const low = Math.ceil(FOLLOWERS * 0.1);
    await waitFor(
      () => delivered().size >= low,
      60_000,
      () => `first deliveries (${delivered().size}/${FOLLOWERS}); received ids: ${JSON.stringify(stage.sink.keys())}\n${first.output()}`,
      5,
    );
    const countAtKill = delivered().size;
    await first.kill();
    const countAfterKill = delivered().size;
    const tKilled = Date.now();
    expect(first.child.signalCode ?? first.child.exitCode).not.toBeNull();

    const second = stage.spawn();
    await stage.waitHealthy(second);
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
