/**
 * Runs the fan-out and inbox benchmarks on each configuration (SQLite in one
 * process; PostgreSQL with 1, 2 and 4 worker processes) and prints their key
 * figures side by side. Every run is a child process of its own, so that no
 * run inherits another's heap, caches or JIT warmth.
 *
 *   npm run bench:matrix
 *   BENCH_MATRIX=sqlite,postgres:2 BENCH_FOLLOWERS=2000 BENCH_ACTIVITIES=1000 npm run bench:matrix
 *
 * Sizes are the benchmarks' own settings (BENCH_FOLLOWERS, BENCH_ACTIVITIES,
 * …), passed through from the environment.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchSetup, describeSetup, fmt, printTable, RESULT_PREFIX, type BenchSetup } from "./lib.ts";

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

interface Configuration {
  label: string;
  env: Record<string, string>;
}

/** "sqlite" or "postgres:N" (N worker processes). */
function configuration(spec: string): Configuration {
  const [database, workers] = spec.trim().split(":");
  const env = { BENCH_DATABASE: database ?? "", BENCH_WORKERS: workers ?? "1" };
  const setup: BenchSetup = benchSetup(env);
  return {
    label: setup.database === "sqlite" ? "SQLite, 1 process" : `PostgreSQL, ${setup.workers} worker${setup.workers === 1 ? "" : "s"}`,
    env,
  };
}

const CONFIGURATIONS = (process.env.BENCH_MATRIX ?? "sqlite,postgres:1,postgres:2,postgres:4").split(",").map(configuration);

/** Each benchmark, and the columns of its output worth comparing across configurations. */
const BENCHMARKS = [
  {
    title: "Fan-out",
    script: "bench/fanout.ts",
    keyFigures: [
      "publish ms",
      "delivered/unique",
      "first ms",
      "last ms",
      "deliveries/s",
      "p50 ms",
      "p99 ms",
      "RSS here start→peak",
      "RSS workers peak (sum)",
    ],
  },
  {
    title: "Inbox",
    script: "bench/inbox.ts",
    keyFigures: [
      "HTTP statuses",
      "accepted/s",
      "p50 ms",
      "p99 ms",
      "send ms",
      "all stored ms",
      "processed/s",
      "RSS here start→peak",
      "RSS workers peak (sum)",
    ],
  },
];

/**
 * Runs one benchmark script as a child on this Node (with tsx's loader),
 * echoing its output; returns the figures of each of its runs.
 */
function runChild(script: string, env: Record<string, string>): Promise<{ figures: Record<string, string>[]; exitCode: number | null }> {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const figures: Record<string, string>[] = [];
  let partial = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith(RESULT_PREFIX)) figures.push(JSON.parse(line.slice(RESULT_PREFIX.length)) as Record<string, string>);
      else console.log(`  ${line}`);
    }
  });
  return new Promise((resolve) => child.once("close", (exitCode) => resolve({ figures, exitCode })));
}

/** The rows of one table: a configuration and its key figures. */
type Rows = Map<string, string[][]>;

async function runBenchmark(benchmark: (typeof BENCHMARKS)[number]): Promise<Rows> {
  // Fan-out reports a row per scenario: one table per scenario, configurations as rows.
  const tables: Rows = new Map();
  for (const configuration of CONFIGURATIONS) {
    console.log(`\n=== ${benchmark.title} on ${describeSetup(benchSetup(configuration.env))} ===`);
    const started = performance.now();
    const { figures, exitCode } = await runChild(benchmark.script, configuration.env);
    console.log(`  (${fmt((performance.now() - started) / 1000)} s)`);
    if (exitCode !== 0) figures.push({ scenario: "", [benchmark.keyFigures[0]!]: `FAILED (exit ${exitCode})` });
    for (const f of figures) {
      const title = f.scenario ? `${benchmark.title} ${f.scenario}` : benchmark.title;
      if (!tables.has(title)) tables.set(title, []);
      tables.get(title)!.push([configuration.label, ...benchmark.keyFigures.map((k) => f[k] ?? "")]);
    }
  }
  return tables;
}

async function main() {
  const started = performance.now();
  const results: { keyFigures: string[]; tables: Rows }[] = [];
  for (const benchmark of BENCHMARKS) results.push({ keyFigures: benchmark.keyFigures, tables: await runBenchmark(benchmark) });
  console.log(
    `\nMatrix done in ${fmt((performance.now() - started) / 1000)} s. "RSS here" is the bench process: harness, sink or load-generator thread,`,
  );
  console.log(
    `and the instance (web + worker on SQLite, web only on PostgreSQL); "RSS workers" is the sum of the worker processes' peaks.`,
  );
  for (const { keyFigures, tables } of results) {
    for (const [title, rows] of tables) printTable(title, ["configuration", ...keyFigures], rows);
  }
}

await main();
