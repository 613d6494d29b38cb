/**
 * Start-up benchmark: how long from starting Connexo, as production runs it,
 * to `GET /health` answering 200, on a database already migrated; and how
 * much memory the idle process holds.
 *
 *   npm run bench:startup
 *   BENCH_STARTS=9 npm run bench:startup
 *   BENCH_DATABASE=postgres npm run bench:startup
 *   BENCH_STARTUP_RUNTIME=tsx npm run bench:startup      measure src/main.ts through tsx even if dist/ is built
 *   BENCH_STARTUP_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p" npm run bench:startup   profile the starts
 *
 * Production runs what `npm start` runs: scripts/start.mjs, which runs the
 * compiled server (dist/src/main.js) on plain Node with its module hooks. The
 * bench builds dist/ first if it is stale. On a checkout without the launcher
 * it runs `src/main.ts` through tsx's loader and says so (tsx compiles every
 * module on start, so it starts slower and holds more memory).
 *
 * One process with CONNEXO_PROCESS=all (web and queue worker) on a fresh
 * database: a first start migrates it (timed, but not the figure), then
 * BENCH_STARTS (5) starts are timed, from spawn to the first 200 from
 * /health (polled every 5 ms); the median is the figure. After the last
 * start the process is left idle for BENCH_IDLE_MS (5000) and its resident
 * memory (VmRSS in /proc/<pid>/status) is read: the idle figure. On
 * PostgreSQL the database is a private cluster (or BENCH_POSTGRES_URL).
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  benchSetup,
  fmt,
  freePort,
  percentile,
  postgresStorage,
  printTable,
  processRss,
  reportFigures,
  reportJson,
  sleep,
  spawnNode,
  untilHealthy,
  sqliteStorage,
  startNodeFlags,
} from "./lib.ts";

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 5_000);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 60_000);
const COMPILED = join(projectRoot, "dist/src/main.js");
const LAUNCHER = join(projectRoot, "scripts/start.mjs");
/** Extra node flags for the server (e.g. --cpu-prof), split on spaces: for finding out where a start goes, not for the figures. */
const NODE_ARGS = (process.env.BENCH_STARTUP_NODE_ARGS ?? "").split(" ").filter(Boolean);

interface Runtime {
  name: "compiled" | "tsx";
  args: string[];
  describe: string;
}

/**
 * What to run: what `npm start` runs (scripts/start.mjs, which builds dist/ when it is stale and then runs
 * the compiled server in the same process), or, on a checkout without it, src/main.ts through tsx.
 */
function runtime(): Runtime {
  const tsx: Runtime = { name: "tsx", args: ["--import", "tsx", "src/main.ts"], describe: "src/main.ts through tsx's loader" };
  if (process.env.BENCH_STARTUP_RUNTIME === "tsx" || !existsSync(LAUNCHER)) return tsx;
  // Built now, so that no timed start (nor the migrating one) includes a build.
  const built = spawnSync(
    process.execPath,
    ["--input-type=module", "-e", "await import('./scripts/build.mjs').then((b) => b.buildIfStale(b.projectRoot, () => {}))"],
    {
      cwd: projectRoot,
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  if (built.status !== 0) throw new Error(`building dist/ failed (exit ${built.status})`);
  return {
    name: "compiled",
    args: [...startNodeFlags(), LAUNCHER],
    describe: `scripts/start.mjs (npm start: dist/ compiled, on plain node), built ${statSync(COMPILED).mtime.toISOString()}`,
  };
}

interface Started {
  child: ChildProcess;
  exited: Promise<void>;
  ms: number;
}

/** Spawns the server and polls /health until it answers 200; the time from spawn. */
async function start(rt: Runtime, env: Record<string, string>, port: number): Promise<Started> {
  const spawnedAt = performance.now();
  const server = spawnNode([...NODE_ARGS, ...rt.args], env);
  try {
    await untilHealthy(`http://127.0.0.1:${port}`, server, TIMEOUT_MS, 5);
  } catch (error) {
    server.child.kill("SIGKILL");
    throw error;
  }
  return { child: server.child, exited: server.exited, ms: performance.now() - spawnedAt };
}

async function stop({ child, exited }: Started) {
  child.kill("SIGTERM");
  if (await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)])) return;
  child.kill("SIGKILL");
  await exited;
}

/** RssAnon (heaps), RssFile (mapped code and files) and RssShmem of a process, in MB. */
function rssParts(pid: number): Record<string, number> {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const parts: Record<string, number> = {};
    for (const name of ["RssAnon", "RssFile", "RssShmem"]) {
      const kb = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1];
      if (kb) parts[name] = Number(kb) / 1024;
    }
    return parts;
  } catch {
    return {};
  }
}

async function main() {
  const setup = benchSetup();
  const rt = runtime();
  console.log(
    `Start-up benchmark: ${rt.describe}, CONNEXO_PROCESS=all on ${setup.database}, ${STARTS} starts, idle ${IDLE_MS} ms, node ${process.version}`,
  );
  const storage = setup.database === "postgres" ? await postgresStorage() : sqliteStorage();
  const media = mkdtempSync(join(tmpdir(), "connexo-bench-media-"));
  try {
    const port = await freePort();
    const env: Record<string, string> = {
      CONNEXO_DATABASE: storage.location,
      CONNEXO_ORIGIN: `http://127.0.0.1:${port}`,
      CONNEXO_PORT: String(port),
      CONNEXO_HOST: "127.0.0.1",
      CONNEXO_PROCESS: "all",
      CONNEXO_LOG_LEVEL: "warning",
      CONNEXO_MEDIA_DIR: media,
      NODE_ENV: "production",
    };
    const first = await start(rt, env, port);
    await stop(first);
    console.log(`first start (migrating a new database): ${fmt(first.ms)} ms`);
    const times: number[] = [];
    let idleRss = NaN;
    let startRss = NaN;
    let idleParts: Record<string, number> = {};
    for (let i = 0; i < STARTS; i++) {
      const started = await start(rt, env, port);
      times.push(started.ms);
      console.log(`start ${i + 1}: /health answered after ${fmt(started.ms)} ms`);
      if (i === STARTS - 1) {
        startRss = processRss(started.child.pid!);
        await sleep(IDLE_MS);
        idleRss = processRss(started.child.pid!);
        idleParts = rssParts(started.child.pid!);
      }
      await stop(started);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const median = percentile(sorted, 50);
    const toMb = (bytes: number) => bytes / 1024 / 1024;
    const row = {
      runtime: rt.name,
      database: setup.database,
      "first start (migrating) ms": fmt(first.ms),
      "median start ms": fmt(median),
      "min ms": fmt(sorted[0] ?? NaN),
      "max ms": fmt(sorted.at(-1) ?? NaN),
      "RSS at /health MB": fmt(toMb(startRss)),
      [`RSS idle ${fmt(IDLE_MS / 1000)} s MB`]: fmt(toMb(idleRss)),
    };
    printTable("Start-up (spawn → GET /health 200, a migrated database) and idle memory of one all process", Object.keys(row), [
      Object.values(row),
    ]);
    console.log(
      `Idle RSS by kind (/proc/<pid>/status): ${Object.entries(idleParts)
        .map(([k, v]) => `${k} ${fmt(v)} MB`)
        .join(", ")}`,
    );
    console.log("Targets: start to /health under 1 s; idle under 150 MB.");
    reportFigures(row);
    reportJson("startup", {
      runtime: rt.name,
      command: `node ${rt.args.map((a) => (a.startsWith(projectRoot) ? a.slice(projectRoot.length + 1) : a)).join(" ")}`,
      starts: STARTS,
      "first start (migrating) ms": first.ms,
      "median start ms": median,
      "min start ms": sorted[0] ?? null,
      "max start ms": sorted.at(-1) ?? null,
      "RSS at health MB": toMb(startRss),
      "idle ms": IDLE_MS,
      "idle RSS MB": toMb(idleRss),
      "idle RSS by kind MB": idleParts,
    });
  } finally {
    await storage.remove();
    rmSync(media, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
