import { readdirSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { type FanoutStage, type ServerProcess, startFanoutStage, waitFor } from "../helpers/crash-harness.ts";

/**
 * SIGTERM stops a process gracefully: it takes no new work, lets the work in
 * hand finish for at most CONNEXO_SHUTDOWN_TIMEOUT_SECONDS, releases what is
 * still running then, and exits 0. Started again, it delivers the rest: every
 * follower gets the Announce, and none more than twice.
 */
describe("graceful stop", () => {
  let stage: FanoutStage | undefined;
  afterEach(() => stage?.close(), 60_000);

  /**
   * SIGTERM to the Connexo process itself, as a process manager sends it
   * (npx and tsx in front of it would die of a signal sent to the whole group);
   * resolves with the exit code that reaches npx, and how long it took.
   */
  async function terminate(server: ServerProcess, graceMs: number): Promise<{ code: number | null; ms: number }> {
    const t0 = Date.now();
    process.kill(connexoPid(server.child.pid!), "SIGTERM");
    const timer = new Promise<"late">((resolve) => setTimeout(() => resolve("late"), graceMs));
    if ((await Promise.race([server.exited, timer])) === "late") {
      await server.kill();
      throw new Error(`still running ${graceMs} ms after SIGTERM:\n${server.output()}`);
    }
    return { code: server.child.exitCode, ms: Date.now() - t0 };
  }

  async function deliverAfterRestart(followers: number, withinMs: number) {
    const delivered = () => stage!.sink.received("Announce", announceId);
    const second = stage!.spawn();
    await stage!.waitHealthy(second);
    await waitFor(
      () => delivered().size === followers,
      withinMs,
      () => `all deliveries after restart (${delivered().size}/${followers})\n${second.output()}`,
      50,
    );
    const counts = [...delivered().values()];
    expect(counts).toHaveLength(followers);
    expect(Math.max(...counts)).toBeLessThanOrEqual(2);
    return counts;
  }
  let announceId = "";

  it("finishes the deliveries in hand, exits 0, and the restarted process sends the rest", async () => {
    const followers = 200;
    stage = await startFanoutStage({
      followers,
      sinkDelayMs: 60,
      env: { CONNEXO_QUEUE_CONCURRENCY: "8", CONNEXO_PROCESS: "all", CONNEXO_SHUTDOWN_TIMEOUT_SECONDS: "10" },
    });
    const first = stage.spawn();
    await stage.waitHealthy(first);
    announceId = await stage.publish("Quiet week");
    const delivered = () => stage!.sink.received("Announce", announceId);
    await waitFor(
      () => delivered().size >= 20,
      60_000,
      () => `first deliveries (${delivered().size}/${followers})\n${first.output()}`,
      5,
    );
    const { code, ms } = await terminate(first, 15_000);
    const atStop = delivered().size;
    expect(code, first.output()).toBe(0);
    expect(ms).toBeLessThan(10_000 + 5_000);
    // The deliveries in hand were finished, not cut: nothing arrived twice yet.
    expect(stage.sink.overlaps()).toBe(0);
    expect(atStop).toBeLessThan(followers);
    const counts = await deliverAfterRestart(followers, 60_000);
    console.info(`graceful-stop: ${atStop}/${followers} delivered at stop (${ms} ms); ${counts.filter((c) => c > 1).length} twice`);
  }, 180_000);

  it("releases what is still running at the deadline, so the restarted process takes it at once", async () => {
    const followers = 24;
    stage = await startFanoutStage({
      followers,
      // Each delivery takes longer than the shutdown allows.
      sinkDelayMs: 2_500,
      env: {
        CONNEXO_QUEUE_CONCURRENCY: "8",
        CONNEXO_PROCESS: "all",
        CONNEXO_SHUTDOWN_TIMEOUT_SECONDS: "1",
        // Left locked, the messages would wait out this lease, far beyond the restart's deadline below.
        CONNEXO_QUEUE_LEASE_SECONDS: "300",
      },
    });
    const first = stage.spawn();
    await stage.waitHealthy(first);
    announceId = await stage.publish("Slow week");
    const delivered = () => stage!.sink.received("Announce", announceId);
    await waitFor(
      () => delivered().size >= 1,
      60_000,
      () => `first deliveries (${delivered().size}/${followers})\n${first.output()}`,
      5,
    );
    // The next deliveries are under way by now, with more than the deadline still to go.
    await new Promise((resolve) => setTimeout(resolve, 800));
    const { code, ms } = await terminate(first, 10_000);
    expect(code, first.output()).toBe(0);
    expect(ms).toBeLessThan(1_000 + 5_000);
    expect(first.output()).toMatch(/Stopping with [1-9]\d* messages on \W*fedify\W* still running; released to be taken again/);
    expect(delivered().size).toBeLessThan(followers);
    await deliverAfterRestart(followers, 45_000);
  }, 180_000);
});

/** The process running src/main.ts in this process group: the one of them whose children do not run it too. */
function connexoPid(group: number): number {
  const processes = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        const [, ppid, pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const command = readFileSync(`/proc/${name}/cmdline`, "utf8").replaceAll("\0", " ");
        return Number(pgrp) === group && command.includes("src/main.ts") ? [{ pid: Number(name), ppid: Number(ppid) }] : [];
      } catch {
        return [];
      }
    });
  const parents = new Set(processes.map((p) => p.ppid));
  const leaves = processes.filter((p) => !parents.has(p.pid));
  if (leaves.length !== 1) throw new Error(`expected one Connexo process in group ${group}, found ${JSON.stringify(processes)}`);
  return leaves[0]!.pid;
}
