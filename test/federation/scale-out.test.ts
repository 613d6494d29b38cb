import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFanoutStage, startInboxSink, waitFor, type FanoutStage } from "../helpers/crash-harness.ts";
import { dialect } from "../helpers/database.ts";

const FOLLOWERS = 300;
const SINK_DELAY_MS = 100;

/**
 * Scale-out on PostgreSQL: one web process and two worker processes share a
 * database. A weeknote fans out to many inboxes, both workers deliver, one
 * is killed hard mid-way, and the other finishes: every inbox gets the
 * Announce at least once, and no delivery is ever made twice at the same time.
 */
describe.skipIf(dialect !== "postgres")("web and worker processes on one PostgreSQL database", () => {
  let stage: FanoutStage;
  // Sent by us (federation/http/delivery.ts), or by Fedify when it retries.
  const sentAnnounce = /(?:Delivered|Successfully sent activity) .*announce-/;

  beforeAll(async () => {
    stage = await startFanoutStage({
      followers: FOLLOWERS,
      sinkDelayMs: SINK_DELAY_MS,
      env: { CONNEXO_QUEUE_LEASE_SECONDS: "2", CONNEXO_QUEUE_CONCURRENCY: "4" },
    });
  }, 60_000);
  afterAll(() => stage?.close(), 60_000);

  const startWeb = async () => {
    const web = stage.spawn({ CONNEXO_PROCESS: "web" });
    await stage.waitHealthy(web);
    return web;
  };
  // Debug logs name each delivery, so we can tell which worker made it.
  const startWorker = async () => {
    const worker = stage.spawn({ CONNEXO_PROCESS: "worker", CONNEXO_LOG_LEVEL: "debug" }, sentAnnounce);
    await waitFor(
      () => worker.output().includes("Queue worker started"),
      60_000,
      () => `a worker; output:\n${worker.output()}`,
      100,
    );
    return worker;
  };

  it("delivers to every inbox though a worker dies mid fan-out, never twice at once", async () => {
    const [web, a, b] = await Promise.all([startWeb(), startWorker(), startWorker()]);
    const announceId = await stage.publish("Scale week");
    const delivered = () => stage.sink.received("Announce", announceId);

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

    await waitFor(
      () => delivered().size === FOLLOWERS,
      60_000,
      () => `all inboxes (${delivered().size}/${FOLLOWERS})\n${b.output().slice(-5000)}`,
      50,
    );
    const counts = delivered();
    const duplicates = [...counts.values()].reduce((sum, c) => sum + c - 1, 0);
    console.info(
      `scale-out: worker A sent ${byAAtKill} before it was killed at ${atKill}/${FOLLOWERS}; ` +
        `worker B sent ${byBAtKill} by then and ${b.matchedLines()} in all; ${duplicates} duplicate deliveries; ${stage.sink.overlaps()} overlapping`,
    );
    expect(Array.from({ length: FOLLOWERS }, (_, n) => n).filter((n) => !counts.has(n))).toEqual([]);
    expect(b.matchedLines()).toBeGreaterThan(byBAtKill);
    expect(stage.sink.overlaps()).toBe(0);
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
