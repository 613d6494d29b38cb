/**
 * Shared helpers for the benchmarks: an in-process Connexo instance on
 * loopback, seeding, RSS sampling and small statistics. Bench code does not
 * import from test/.
 */
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { loadConfig, type Config } from "../src/config/config.ts";
import { createInstance, type Instance } from "../src/instance.ts";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface BenchInstance extends Instance {
  origin: string;
  port: number;
  stop(): Promise<void>;
}

/** A Connexo instance in this process, on loopback, with its own SQLite file, serving HTTP and running its worker. */
export async function startInstance(env: Record<string, string> = {}): Promise<BenchInstance> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), "connexo-bench-"));
  const config: Config = loadConfig({
    CONNEXO_PORT: String(port),
    CONNEXO_ORIGIN: origin,
    CONNEXO_DATABASE: join(dir, "connexo.sqlite"),
    CONNEXO_ALLOW_PRIVATE_ADDRESS: "true",
    CONNEXO_LOG_LEVEL: "error",
    CONNEXO_QUEUE_CONCURRENCY: process.env.CONNEXO_QUEUE_CONCURRENCY ?? "32",
    ...env,
  });
  const instance = await createInstance(config);
  const stopWorker = new AbortController();
  const worker = instance.federation.runWorker(stopWorker.signal);
  const server = serve({ fetch: instance.app.fetch, port, hostname: "127.0.0.1" });
  return {
    ...instance,
    origin,
    port,
    async stop() {
      stopWorker.abort();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.race([worker, sleep(5_000)]);
      instance.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function seedCommunity(instance: Instance, person: string, community: string) {
  const { actors, tokens } = instance.services;
  const p = await actors.createPerson({ handle: person, displayName: `${person} Example`, password: "a long enough password" });
  const c = await actors.createCommunity({ handle: community, name: `The ${community}`, purpose: "Working in the open." });
  await actors.addMember(community, person, "admin");
  const token = await tokens.issue(person);
  return { person: p, community: c, token };
}

/** Publishes a weeknote through the JSON API; returns the post and how long the call took. */
export async function publishWeeknote(origin: string, token: string, community: string, title = "Week of benchmarks") {
  const started = performance.now();
  const startedAt = performance.timeOrigin + started;
  const res = await fetch(`${origin}/api/v1/weeknotes`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ community, title, summary: "What we did this week.", body: "We measured **things**.\n\n- one\n- two" }),
  });
  const ms = performance.now() - started;
  if (res.status !== 201) throw new Error(`publish answered ${res.status}: ${await res.text()}`);
  const post = (await res.json()) as { id: string; url: string };
  return { post, ms, startedAt };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Samples process RSS every `everyMs` until stopped; returns the peak seen (bytes). */
export function rssSampler(everyMs = 25) {
  let peak = process.memoryUsage().rss;
  const start = peak;
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
  }, everyMs);
  return {
    start,
    stop() {
      clearInterval(timer);
      const rss = process.memoryUsage().rss;
      if (rss > peak) peak = rss;
      return peak;
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
export const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

/** Prints rows as an aligned two-or-more-column table. */
export function printTable(title: string, header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => "| " + cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ") + " |";
  console.log(`\n${title}`);
  console.log(line(header));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  for (const r of rows) console.log(line(r));
}
