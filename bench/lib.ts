/**
 * Shared helpers for the benchmarks: a Connexo instance on loopback (on
 * SQLite, or on PostgreSQL with separate worker processes), seeding, RSS
 * sampling and small statistics. Bench code does not import from test/.
 *
 *   BENCH_DATABASE=sqlite                     one in-process instance doing web and worker (default)
 *   BENCH_DATABASE=postgres BENCH_WORKERS=N   web in this process, N worker processes, on a private cluster
 *   BENCH_POSTGRES_URL=postgres://…           use this server instead (a fresh database is created on it)
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash, createSign, generateKeyPair, type KeyObject } from "node:crypto";
import { Worker, type WorkerOptions } from "node:worker_threads";
import type { ReplyPolicy } from "../src/domain/reply-policy.ts";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import pg from "pg";
import { freePort } from "../scripts/free-port.ts";
import { startPostgresCluster } from "../scripts/postgres-cluster.ts";
import { loadConfig } from "../src/config/config.ts";
import type { Actor, RemoteActorInput } from "../src/domain/types.ts";
import { createInstance, type Instance } from "../src/instance.ts";
import type { Database } from "../src/storage/database.ts";

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

export { freePort };

export interface BenchSetup {
  database: "sqlite" | "postgres";
  /** Worker processes beside this one (PostgreSQL only; 0 on SQLite, where this process runs the worker). */
  workers: number;
  /**
   * CONNEXO_PROCESSES of an instance run in a process of its own (BENCH_PROCESSES,
   * 1 by default): above 1, a supervisor and that many processes, web and worker each.
   */
  processes: number;
}

/** The configuration chosen by BENCH_DATABASE and BENCH_WORKERS. */
export function benchSetup(env: Record<string, string | undefined> = process.env): BenchSetup {
  const database = env.BENCH_DATABASE ?? "sqlite";
  if (database !== "sqlite" && database !== "postgres") throw new Error(`BENCH_DATABASE must be sqlite or postgres, not ${database}`);
  const processes = Number(env.BENCH_PROCESSES ?? 1);
  if (!Number.isInteger(processes) || processes < 1) throw new Error("BENCH_PROCESSES must be a whole number of at least 1");
  if (database === "sqlite") return { database, workers: 0, processes };
  const workers = Number(env.BENCH_WORKERS ?? 1);
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`BENCH_WORKERS must be a whole number of at least 1`);
  return { database, workers, processes };
}

/** The setup in words; `ownProcess`: the benchmark runs its instance apart on SQLite (startInstance's option). */
export function describeSetup(setup: BenchSetup, ownProcess = false): string {
  const apart = ownProcess && process.env.BENCH_IN_PROCESS !== "1";
  return setup.database === "sqlite"
    ? apart
      ? setup.processes > 1
        ? `SQLite, one instance run as npm start runs it with CONNEXO_PROCESSES=${setup.processes} (a supervisor and ${setup.processes} processes, web + worker each)`
        : "SQLite, one instance (web + worker) in a process of its own, as npm start runs it"
      : "SQLite, one in-process instance (web + worker)"
    : `PostgreSQL, web in this process + ${setup.workers} worker process${setup.workers === 1 ? "" : "es"}`;
}

export interface BenchInstance extends Instance {
  origin: string;
  port: number;
  setup: BenchSetup;
  /** Pids of the worker processes (none on SQLite), or of the instance's own process (`ownProcess`). */
  workerPids: number[];
  /** Whether the instance runs in a process of its own (whose pid is the one in workerPids), not in this one. */
  ownProcess: boolean;
  stop(): Promise<void>;
}

/** An instance's settings: on loopback at this port, on this storage, with this run's queue settings and `env` over them. */
function instanceSettings(port: number, storage: BenchStorage, env: Record<string, string>): Record<string, string> {
  return {
    CONNEXO_PORT: String(port),
    CONNEXO_ORIGIN: `http://127.0.0.1:${port}`,
    CONNEXO_DATABASE: storage.location,
    CONNEXO_ALLOW_PRIVATE_ADDRESS: "true",
    CONNEXO_LOG_LEVEL: "error",
    CONNEXO_QUEUE_CONCURRENCY: process.env.CONNEXO_QUEUE_CONCURRENCY ?? "32",
    ...(process.env.CONNEXO_QUEUE_PER_ORIGIN ? { CONNEXO_QUEUE_PER_ORIGIN: process.env.CONNEXO_QUEUE_PER_ORIGIN } : {}),
    ...env,
  };
}

export interface StartOptions {
  /**
   * On SQLite, run the instance as production does, in a process of its own
   * (`npm start`'s command, web and worker in one), so that its memory is
   * measured without the harness's: its pid is the one worker pid. This
   * process still opens the database, to seed it and to count what arrived,
   * but serves nothing and works no queue. BENCH_IN_PROCESS=1 keeps the
   * instance here instead (to profile it with --cpu-prof).
   */
  ownProcess?: boolean;
}

/**
 * A Connexo instance serving HTTP on loopback, with a database of its own.
 * By default it serves from this process; on SQLite this process also runs
 * the queue worker, and on PostgreSQL the queues are worked by separate
 * processes, as an operator would run them. With `ownProcess` (SQLite), the
 * instance is a process of its own.
 */
export async function startInstance(env: Record<string, string> = {}, options: StartOptions = {}): Promise<BenchInstance> {
  const setup = benchSetup();
  if (options.ownProcess && setup.database === "sqlite" && process.env.BENCH_IN_PROCESS !== "1") return startOwnProcess(env, setup);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const storage = setup.database === "postgres" ? await postgresStorage() : sqliteStorage();
  const settings = instanceSettings(port, storage, env);
  let instance: Instance | undefined;
  let workers: WorkerProcess[];
  try {
    instance = await createInstance(loadConfig({ ...settings, CONNEXO_PROCESS: setup.workers > 0 ? "web" : "all" }));
    workers = await spawnWorkers(setup.workers, settings);
  } catch (error) {
    // A cluster is a daemon: left running, it would outlive this process.
    await instance?.close();
    await storage.remove();
    throw error;
  }
  const stopWorker = new AbortController();
  const worker = setup.workers > 0 ? Promise.resolve() : instance.federation.runWorker(stopWorker.signal);
  const server = serve({ fetch: instance.app.fetch, port, hostname: "127.0.0.1" });
  return {
    ...instance,
    origin,
    port,
    setup,
    workerPids: workers.map((w) => w.pid),
    ownProcess: false,
    async stop() {
      stopWorker.abort();
      await Promise.all(workers.map((w) => w.stop()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.race([worker, sleep(5_000)]);
      await instance.close();
      await storage.remove();
    },
  };
}

/** Where an instance keeps its data, and how to get rid of it afterwards. */
export interface BenchStorage {
  /** CONNEXO_DATABASE: a file path or a postgres:// URL. */
  location: string;
  remove(): Promise<void>;
}

export function sqliteStorage(): BenchStorage {
  const dir = mkdtempSync(join(tmpdir(), "connexo-bench-"));
  return { location: join(dir, "connexo.sqlite"), remove: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh database on BENCH_POSTGRES_URL's server, or on a private cluster started (and stopped) for it. */
export async function postgresStorage(): Promise<BenchStorage> {
  // Durability on (fast: false): a benchmark must pay for fsync as production does.
  const cluster = process.env.BENCH_POSTGRES_URL ? null : await startPostgresCluster({ fast: false });
  const serverUrl = process.env.BENCH_POSTGRES_URL ?? cluster!.url;
  const name = `connexo_bench_${process.pid}_${Date.now()}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    location: url.href,
    async remove() {
      if (cluster) await cluster.stop();
      else await adminQuery(serverUrl, `DROP DATABASE ${name} WITH (FORCE)`);
    },
  };
}

/**
 * The instance as production runs it (scripts/start.mjs, CONNEXO_PROCESS=all,
 * and BENCH_PROCESSES as CONNEXO_PROCESSES) in a child process, once /health
 * answers; and this process's own view of its database, for seeding and counting.
 */
async function startOwnProcess(env: Record<string, string>, setup: BenchSetup): Promise<BenchInstance> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const storage = sqliteStorage();
  const settings = instanceSettings(port, storage, env);
  // Migrates the database before the child opens it; web only, so that it works no queue.
  const instance = await createInstance(loadConfig({ ...settings, CONNEXO_PROCESS: "web" }));
  let child: WorkerProcess & { pids: number[] };
  try {
    child = await spawnServer({ ...settings, CONNEXO_PROCESSES: String(setup.processes) }, origin);
  } catch (error) {
    await instance.close();
    await storage.remove();
    throw error;
  }
  return {
    ...instance,
    origin,
    port,
    setup,
    workerPids: child.pids,
    ownProcess: true,
    async stop() {
      await child.stop();
      await instance.close();
      await storage.remove();
    },
  };
}

/**
 * `npm start`'s command on this Node, resolving once /health answers 200.
 * BENCH_SERVER_NODE_ARGS adds node flags (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p"):
 * for finding out where the time goes, not for the figures.
 */
async function spawnServer(settings: Record<string, string>, origin: string): Promise<WorkerProcess & { pids: number[] }> {
  const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const server = spawnNode([...startNodeFlags(), ...extra, "scripts/start.mjs"], { ...settings, CONNEXO_PROCESS: "all" });
  const stop = () => stopProcess(server.child, server.exited);
  const pid = server.child.pid!;
  const processes = Number(settings.CONNEXO_PROCESSES ?? 1);
  try {
    await untilHealthy(origin, server, 120_000, 20);
    if (processes === 1) return { pid, pids: [pid], stop };
    // The first process answered; the others start once it has: give them the second or so a start takes.
    const deadline = performance.now() + 60_000;
    while (childPids(pid).length < processes) {
      if (performance.now() > deadline) throw new Error(`${processes} processes did not start:\n${server.output()}`);
      await sleep(50);
    }
    await sleep(3_000);
    return { pid, pids: [pid, ...childPids(pid)], stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The node flags `npm start` passes (package.json's start script: `node <flags> scripts/start.mjs`),
 * with `${NAME:-default}` read from this environment as the shell would, so that a bench runs the
 * server as production does.
 */
export function startNodeFlags(env: Record<string, string | undefined> = process.env): string[] {
  const scripts = (JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as { scripts?: Record<string, string> }).scripts;
  const words = (scripts?.start ?? "").split(/\s+/);
  if (words[0] !== "node") return [];
  const expand = (word: string) => word.replace(/\$\{(\w+):-([^}]*)\}/g, (_, name: string, fallback: string) => env[name] || fallback);
  return words
    .slice(1)
    .filter((word) => word.startsWith("--"))
    .map(expand);
}

/** The pids of a process's children (Linux). */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** A Node process started in the project, on this Node, with these settings over this process's environment. */
export interface NodeProcess {
  child: ChildProcess;
  exited: Promise<void>;
  /** Whether it has exited. */
  gone(): boolean;
  /** The last 20 kB it wrote, standard output and error together. */
  output(): string;
}

/** Starts a Node process in the project, reading its pipes all the while: a full pipe would block it. */
export function spawnNode(args: string[], env: Record<string, string>): NodeProcess {
  const child = spawn(process.execPath, args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let gone = false;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      gone = true;
      resolve();
    }),
  );
  return { child, exited, gone: () => gone, output: () => output };
}

/** Resolves once `origin`'s /health answers 200 (asked every `everyMs`); throws if the process exits first or `timeoutMs` passes. */
export async function untilHealthy(origin: string, server: NodeProcess, timeoutMs: number, everyMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (server.gone()) throw new Error(`the server exited before /health answered:\n${server.output()}`);
    if (performance.now() > deadline) throw new Error(`/health did not answer within ${timeoutMs} ms:\n${server.output()}`);
    try {
      const res = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(everyMs);
  }
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

interface WorkerProcess {
  pid: number;
  /** SIGTERM (a graceful shutdown), then SIGKILL if it lingers. */
  stop(): Promise<void>;
}

/**
 * A queue worker as `npm start` runs one (the compiled server, with its node
 * flags), resolving once it logs "Queue worker started". It runs on this
 * Node rather than through npm, so that the child is one process and its RSS
 * is the worker's alone.
 */
async function spawnWorker(settings: Record<string, string>): Promise<WorkerProcess> {
  // Info level: the readiness line is logged at info.
  const worker = spawnNode([...startNodeFlags(), "scripts/start.mjs"], {
    ...settings,
    CONNEXO_PROCESS: "worker",
    CONNEXO_LOG_LEVEL: "info",
  });
  while (!worker.output().includes("Queue worker started")) {
    if (worker.gone()) throw new Error(`worker exited before it started:\n${worker.output()}`);
    await sleep(20);
  }
  return { pid: worker.child.pid!, stop: () => stopProcess(worker.child, worker.exited) };
}

/** `count` workers started side by side; if one fails to start, the others are stopped. */
async function spawnWorkers(count: number, settings: Record<string, string>): Promise<WorkerProcess[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => spawnWorker(settings)));
  const workers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failure = started.find((s) => s.status === "rejected");
  if (!failure) return workers;
  await Promise.all(workers.map((w) => w.stop()));
  throw failure.reason;
}

async function stopProcess(child: ChildProcess, exited: Promise<void>, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  if (await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)])) return;
  child.kill("SIGKILL");
  await exited;
}

/** Follower `i`, a Person at `origin` with an inbox of its own (and a shared one, if given), as seeded below. */
export function benchFollower(
  i: number,
  origin: string,
  sharedInbox: string | null = null,
): { actor: RemoteActorInput; followUri: string } {
  const uri = `${origin}/users/f${i}`;
  const actor = {
    uri,
    type: "Person",
    handle: `f${i}@${new URL(origin).host}`,
    name: `Follower ${i}`,
    url: uri,
    iconUrl: null,
    inbox: `${uri}/inbox`,
    sharedInbox,
  };
  return { actor, followUri: `${origin}/follows/${i}` };
}

/** Adds followers straight into the database, in one transaction. */
export async function seedFollowers(instance: Instance, actorId: number, followers: { actor: RemoteActorInput; followUri: string }[]) {
  await instance.store.transaction(async (tx) => {
    for (const { actor, followUri } of followers) {
      const remote = await tx.remoteActors.upsert(actor);
      await tx.follows.addFollower(actorId, remote.id, followUri);
    }
  });
}

/** Messages left in the durable queues, by queue. */
export async function queueRows(database: Database): Promise<{ queue: string; n: number }[]> {
  const sql = "SELECT queue, CAST(count(*) AS integer) AS n FROM queue_messages GROUP BY queue ORDER BY queue";
  if (database.kind === "postgres") return (await database.pool.query<{ queue: string; n: number }>(sql)).rows;
  return database.sqlite.prepare(sql).all() as { queue: string; n: number }[];
}

/**
 * A person and a community they administer, with a token. The community takes
 * replies from anyone unless another policy is asked for, so that figures stay
 * comparable with earlier runs (a new community holds newcomers' replies).
 */
export async function seedCommunity(instance: Instance, person: string, community: string, replyPolicy: ReplyPolicy = "open") {
  const { actors, tokens } = instance.services;
  const p = await actors.createPerson({ handle: person, displayName: `${person} Example`, password: "a long enough password" });
  const c = await actors.createCommunity({ handle: community, name: `The ${community}`, purpose: "Working in the open." });
  await instance.store.actors.setReplyPolicy(c.id, replyPolicy);
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

export interface RssPeaks {
  /** This process at the start of sampling, and its peak (bytes). */
  start: number;
  self: number;
  /** Each worker process's peak (bytes), in the order of the pids given. */
  workers: number[];
}

/**
 * Samples the RSS of this process and of the given worker processes every
 * `everyMs` until stopped, so that the peaks are those of the measured run
 * (VmHWM would include start-up).
 */
export function rssSampler(workerPids: number[] = [], everyMs = 25) {
  const start = process.memoryUsage().rss;
  const peaks: RssPeaks = { start, self: start, workers: workerPids.map(() => 0) };
  const sample = () => {
    peaks.self = Math.max(peaks.self, process.memoryUsage().rss);
    for (const [i, pid] of workerPids.entries()) peaks.workers[i] = Math.max(peaks.workers[i]!, processRss(pid));
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    start,
    stop(): RssPeaks {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}

/** A process's resident set size from /proc (bytes), or 0 if it is gone. */
export function processRss(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The RSS figures as text, saying what each covers; `helper` is what this process runs beside the instance. */
export function describeRss(peaks: RssPeaks, helper: string): string[] {
  const instance = peaks.workers.length > 0 ? "the instance serving HTTP only" : "the instance serving HTTP and working the queues";
  const lines = [
    `RSS of this process (bench harness, ${helper}, ${instance}): ${mb(peaks.start)} before → ${mb(peaks.self)} peak (sampled)`,
  ];
  if (peaks.workers.length > 0) {
    lines.push(
      `RSS of the ${peaks.workers.length} worker process(es), each alone: peaks ${peaks.workers.map(mb).join(", ")}; sum ${mb(sum(peaks.workers))} (sampled)`,
    );
  }
  return lines;
}

/** The RSS columns of a results table ("here": this process; see describeRss). */
export function rssColumns(peaks: RssPeaks): Record<string, string> {
  return {
    "RSS here start→peak": `${mb(peaks.start)}→${mb(peaks.self)}`,
    "RSS workers peak (sum)": peaks.workers.length > 0 ? mb(sum(peaks.workers)) : "-",
  };
}

/**
 * The RSS figures of the JSON line (MB). "here" is this process: on SQLite the
 * one `all` instance (web and worker) plus the bench harness and its threads;
 * on PostgreSQL the web side plus the harness, the workers apart. When the
 * instance ran in a process of its own (`ownProcess`), its peak alone is
 * "RSS instance peak MB", and "here" is the harness.
 */
export function rssFigures(peaks: RssPeaks, ownProcess = false): Record<string, number> {
  const toMb = (bytes: number) => bytes / 1024 / 1024;
  return {
    "RSS here start MB": toMb(peaks.start),
    "RSS here peak MB": toMb(peaks.self),
    ...(peaks.workers.length > 0 ? { "RSS workers peak sum MB": toMb(sum(peaks.workers)) } : {}),
    ...(ownProcess ? { "RSS instance peak MB": toMb(sum(peaks.workers)) } : {}),
  };
}

/** This process's peak over its whole life, start-up and all scenarios included (the workers are not counted). */
export function maxRssLine(): string {
  return `maxRSS of this process over the whole run (resourceUsage; workers not included): ${mb(process.resourceUsage().maxRSS * 1024)}`;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

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

/** Marks the line that carries one run's key figures, for bench/matrix.ts to pick out of the output. */
export const RESULT_PREFIX = "BENCH_RESULT ";

/** Prints one run's figures (column name → printed value) as a line bench/matrix.ts collects. */
export function reportFigures(figures: Record<string, string>) {
  console.log(RESULT_PREFIX + JSON.stringify(figures));
}

/** What every HTTP load run reports: throughput, latency and how the answers went. */
export function loadFigures(result: {
  requests: { average: number };
  latency: { p50: number; p99: number; max: number };
  "2xx": number;
  non2xx: number;
  errors: number;
  timeouts: number;
}): Record<string, string> {
  return {
    "requests/s": fmt(result.requests.average),
    "p50 ms": fmt(result.latency.p50, 1),
    "p99 ms": fmt(result.latency.p99, 1),
    "max ms": fmt(result.latency.max, 1),
    "2xx": String(result["2xx"]),
    "non-2xx": String(result.non2xx),
    errors: String(result.errors + result.timeouts),
  };
}

/** The commit benchmarked (short hash) and whether the work tree had changes; "unknown" outside git. */
export function benchCommit(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: projectRoot, encoding: "utf8" }).trim();
    const status = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: projectRoot, encoding: "utf8" });
    return { commit, dirty: status.trim() !== "" };
  } catch {
    return { commit: "unknown", dirty: false };
  }
}

/** A figure as the JSON line carries it: a number where there is one (NaN as null), else text, or a group of figures. */
export type Figure = number | string | boolean | null | { [name: string]: Figure };

/**
 * Prints the one JSON line a bench command reports, for bench/all.ts (and
 * anyone else) to read: `{"bench":…,"database":…,"commit":…,"figures":{…}}`.
 * Every command prints exactly one, last; the other lines are for people.
 */
export function reportJson(bench: string, figures: Record<string, Figure>) {
  const clean = (value: Figure): Figure =>
    typeof value === "number"
      ? Number.isFinite(value)
        ? Math.round(value * 100) / 100
        : null
      : value && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v)]))
        : value;
  const { commit, dirty } = benchCommit();
  const line = { bench, database: benchSetup().database, commit, dirty, node: process.version, figures: clean(figures) };
  console.log(JSON.stringify(line));
}

/** A signed POST, ready to send: its body and headers. */
export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** A draft-cavage rsa-sha256 signed POST of `body` to `path` on `inboxHost`, as Mastodon signs one. */
export function signedPost(body: string, path: string, inboxHost: string, keyId: string, privateKey: KeyObject): SignedRequest {
  const date = new Date().toUTCString();
  const digest = `SHA-256=${createHash("sha256").update(body).digest("base64")}`;
  const contentType = "application/activity+json";
  const signingString = [
    `(request-target): post ${path}`,
    `host: ${inboxHost}`,
    `date: ${date}`,
    `digest: ${digest}`,
    `content-type: ${contentType}`,
  ].join("\n");
  const signature = createSign("sha256").update(signingString).sign(privateKey, "base64");
  return {
    body,
    headers: {
      host: inboxHost,
      date,
      digest,
      "content-type": contentType,
      "content-length": String(Buffer.byteLength(body)),
      signature: `keyId="${keyId}",algorithm="rsa-sha256",headers="(request-target) host date digest content-type",signature="${signature}"`,
    },
  };
}

/** A fresh 2048-bit RSA key pair, the public key as PEM. */
export function makeKey(): Promise<{ privateKey: KeyObject; publicKeyPem: string }> {
  return new Promise((resolve, reject) =>
    generateKeyPair("rsa", { modulusLength: 2048 }, (error, publicKey, privateKey) =>
      error ? reject(error) : resolve({ privateKey, publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString() }),
    ),
  );
}

export interface LoadResult {
  /** Wall-clock times (ms since the epoch) of the first request sent and the last answer. */
  startedAt: number;
  endedAt: number;
  /** Each request's time to its answer (ms), in the order given. */
  latencies: Float64Array;
  /** How many answers had each status ("error:…" for failed connections). */
  statuses: Record<string, number>;
}

const LOADGEN_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const { port, path, requests, concurrency } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = new Float64Array(requests.length);
const statuses = {};
function post(r) {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.request({ host: "127.0.0.1", port, path, method: "POST", agent, headers: r.headers }, (res) => {
      res.resume();
      res.on("end", () => resolve([res.statusCode, performance.now() - started]));
    });
    req.on("error", (e) => resolve(["error:" + e.code, performance.now() - started]));
    req.end(r.body);
  });
}
(async () => {
  const startedAt = performance.timeOrigin + performance.now();
  let next = 0;
  async function lane() {
    while (next < requests.length) {
      const i = next++;
      const [status, ms] = await post(requests[i]);
      latencies[i] = ms;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  const endedAt = performance.timeOrigin + performance.now();
  agent.destroy();
  parentPort.postMessage({ startedAt, endedAt, latencies, statuses });
})();
`;

/**
 * Posts the signed requests to 127.0.0.1:port at `path`, `concurrency` at a
 * time, from a worker thread, so that the load generator does not compete
 * with the instance for the main event loop.
 */
export function runSignedLoad(port: number, path: string, requests: SignedRequest[], concurrency: number): Promise<LoadResult> {
  const worker = new Worker(LOADGEN_SOURCE, { eval: true, workerData: { port, path, requests, concurrency } });
  return new Promise((resolve, reject) => {
    worker.once("message", (m: LoadResult) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}

/**
 * A weeknote in `community` by `person` with `replies` threaded replies from
 * elsewhere (every third answering the one before it): the page bench:page
 * and bench:growth measure. Returns its id and URL.
 */
export async function seedRepliedWeeknote(instance: BenchInstance, person: Actor, community: string, replies: number) {
  const post = await instance.services.weeknotes.publish(community, person, {
    title: "Week 48: the consultation opens",
    summary: "We opened the consultation on bin collections.",
    body: "We **opened the consultation** on Tuesday.\n\n## What went well\n\n- 400 responses in two days\n- The accessible version was ready on day one",
    tags: "consultation, bins, openwork",
  });
  const postUrl = `${instance.origin}/posts/${post.id}`;
  await receiveReplies(instance, post.id, postUrl, replies, "<strong>thank you</strong> for publishing this.");
  return { id: post.id, url: postUrl };
}

/**
 * `count` replies from as many people elsewhere to the post at `postUrl`,
 * every third answering the one before it, a minute apart, each saying
 * `saying` (HTML).
 */
export async function receiveReplies(instance: Instance, postId: string, postUrl: string, count: number, saying: string) {
  let previous = postUrl;
  for (let i = 0; i < count; i++) {
    const actor = `https://elsewhere.example/users/u${i}`;
    const uri = `${actor}/statuses/${i}`;
    await instance.services.replies.receive({
      uri,
      inReplyTo: i % 3 === 2 ? previous : postUrl,
      localPostId: postId,
      author: {
        uri: actor,
        type: "Person",
        handle: `@u${i}@elsewhere.example`,
        name: `Person ${i}`,
        url: actor,
        iconUrl: `https://elsewhere.example/avatars/${i}.png`,
        inbox: `${actor}/inbox`,
        sharedInbox: null,
      },
      url: uri,
      contentHtml: `<p>Reply number ${i}: ${saying} <a href="https://elsewhere.example/tags/bins">#bins</a></p>`,
      publishedAt: new Date(Date.now() - (count - i) * 60_000),
      updatedAt: null,
    });
    previous = uri;
  }
}

/**
 * An HTTP server run in a worker thread (so that it does not compete with the
 * instance for the main event loop), spoken to by messages: it posts
 * `{ type: "listening", port }` once it listens, and answers "reset", "count",
 * "report" and "close".
 */
/** Loopback addresses used per /24 for remote servers (x.y.z.1 … x.y.z.250). */
const LOOPBACK_PER_BLOCK = 250;
/** How many remote servers loopbackAddress can tell apart under one second octet. */
export const LOOPBACK_HOSTS = LOOPBACK_PER_BLOCK * 256;

/**
 * The loopback address of remote server h under 127.`second`: 127.second.0.1,
 * 127.second.0.2, … All of 127.0.0.0/8 is loopback on Linux, so a benchmark
 * can play thousands of servers with one listener on every interface.
 */
export function loopbackAddress(second: number, h: number): string {
  return `127.${second}.${Math.floor(h / LOOPBACK_PER_BLOCK)}.${(h % LOOPBACK_PER_BLOCK) + 1}`;
}

export class ThreadServer {
  readonly worker: Worker;
  port = 0;

  constructor(source: string, options: WorkerOptions = {}) {
    this.worker = new Worker(source, { ...options, eval: true });
  }

  async start() {
    this.port = (await this.ask<{ port: number }>(null, "listening")).port;
  }

  /** Posts `message` (if any) and waits for the thread's next message of `type`. */
  ask<T>(message: string | null, type: string): Promise<T> {
    return new Promise((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type !== type) return;
        this.worker.off("message", on);
        resolve(m as T);
      };
      this.worker.on("message", on);
      if (message) this.worker.postMessage(message);
    });
  }

  reset() {
    this.worker.postMessage("reset");
  }

  async close() {
    this.worker.postMessage("close");
    await new Promise((r) => this.worker.once("exit", r));
  }
}
