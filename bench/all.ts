/**
 * Every figure of the performance targets, one benchmark command each, in a child
 * process of its own (no run inherits another's heap, caches or JIT warmth);
 * prints one Markdown table (figure | measured | target | met?) and records
 * the run in bench/results/.
 *
 *   npm run bench:all                              SQLite, the targets' sizes
 *   BENCH_DATABASE=postgres npm run bench:all      PostgreSQL (BENCH_WORKERS worker processes, 1 by default)
 *   BENCH_PROCESSES=2 npm run bench:all            the instance as CONNEXO_PROCESSES=2 runs it (recorded apart)
 *   BENCH_QUICK=1 npm run bench:all                small sizes, to try it out
 *   BENCH_ONLY=follows,startup npm run bench:all   some of the commands only
 *
 * The commands, each printing one JSON line ({"bench":…,"figures":{…}}):
 *
 *   npm run bench:inbox             signed Create replies from 100 actors, 32 at a time
 *   npm run bench:follows           signed Follows from 10,000 actors on 1,000 hosts; every Accept delivered
 *   npm run bench:fanout:shared     publish → last delivery, 10,000 followers on 1,000 shared inboxes
 *   npm run bench:fanout:distinct   publish → last delivery, 10,000 distinct inboxes
 *   npm run bench:page              the weeknote page with 50 replies, cached and rendered
 *   npm run bench:decisions         the decision register with 2,000 records (and other decision pages)
 *   npm run bench:startup           spawn → /health on a migrated database; idle memory
 *   npm run bench:growth            list pages at 1,000 and at 100,000 weeknotes
 *
 * Memory: "idle" is the start-up bench's spawned `all` process alone. "During
 * a 10k fan-out" and "during the inbox bench" are the peaks sampled by
 * bench:fanout and bench:inbox. On SQLite the instance runs there as a
 * process of its own, as `npm start` runs it (seeded and counted through the
 * database by the bench process, which holds the harness): its peak alone.
 * On PostgreSQL it is the web side (plus harness) and the worker processes'
 * peaks, added.
 *
 * Full runs use the targets' sizes whatever BENCH_FOLLOWERS and the like say,
 * so that recorded figures compare; BENCH_QUICK=1 uses small sizes, and its
 * figures are NOT comparable with the targets or with full runs: a quick run
 * is not recorded unless BENCH_RECORD=1 (and its file then says quick).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchCommit, benchSetup, describeSetup, fmt, type Figure } from "./lib.ts";

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const QUICK = ["1", "true", "yes"].includes(process.env.BENCH_QUICK ?? "");
const RECORD = QUICK ? ["1", "true", "yes"].includes(process.env.BENCH_RECORD ?? "") : process.env.BENCH_RECORD !== "0";

/** The targets' sizes (full runs), and small ones (BENCH_QUICK=1). */
const SIZES: Record<string, string> = QUICK
  ? {
      BENCH_ACTIVITIES: "500",
      BENCH_FOLLOWS: "500",
      BENCH_HOSTS: "50",
      BENCH_KEYS: "20",
      BENCH_FOLLOWERS: "1000",
      BENCH_SHARED_INBOXES: "100",
      BENCH_REPLIES: "50",
      BENCH_RECORDS: "200",
      BENCH_MOVES: "20",
      BENCH_DURATION: "3",
      BENCH_STARTS: "2",
      BENCH_IDLE_MS: "2000",
      BENCH_GROWTH_START: "1000",
      BENCH_GROWTH_POSTS: "5000",
    }
  : {
      BENCH_ACTORS: "100",
      BENCH_ACTIVITIES: "5000",
      BENCH_CLIENT_CONCURRENCY: "32",
      BENCH_FOLLOWS: "10000",
      BENCH_HOSTS: "1000",
      BENCH_KEYS: "100",
      BENCH_FOLLOWERS: "10000",
      BENCH_SHARED_INBOXES: "1000",
      BENCH_REPLIES: "50",
      BENCH_RECORDS: "2000",
      BENCH_MOVES: "200",
      BENCH_DURATION: "10",
      BENCH_CONNECTIONS: "32",
      BENCH_STARTS: "5",
      BENCH_IDLE_MS: "5000",
      BENCH_GROWTH_START: "1000",
      BENCH_GROWTH_POSTS: "100000",
    };

interface Command {
  /** The npm script (bench:<name>) and the key of its figures in the record. */
  name: string;
  script: string;
  env?: Record<string, string>;
}

const COMMANDS: Command[] = [
  { name: "inbox", script: "bench/inbox.ts" },
  { name: "follows", script: "bench/follows.ts" },
  { name: "fanout:shared", script: "bench/fanout.ts", env: { BENCH_SCENARIOS: "shared" } },
  { name: "fanout:distinct", script: "bench/fanout.ts", env: { BENCH_SCENARIOS: "distinct" } },
  { name: "page", script: "bench/page.ts" },
  { name: "decisions", script: "bench/decisions.ts" },
  { name: "startup", script: "bench/startup.ts" },
  { name: "growth", script: "bench/growth.ts" },
];

interface Reported {
  bench: string;
  database: string;
  commit: string;
  figures: Record<string, Figure>;
}

interface Outcome {
  reported: Reported | null;
  exitCode: number | null;
  seconds: number;
}

/** Runs one command as a child on this Node (with tsx's loader), echoing its output; its JSON line. */
function runChild(command: Command): Promise<Outcome> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", command.script], {
    cwd: projectRoot,
    env: { ...process.env, ...SIZES, ...command.env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let reported: Reported | null = null;
  let partial = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith('{"bench":')) reported = JSON.parse(line) as Reported;
      else console.log(`  ${line}`);
    }
  });
  return new Promise((resolve) =>
    child.once("close", (exitCode) => resolve({ reported, exitCode, seconds: (performance.now() - started) / 1000 })),
  );
}

type Figures = Record<string, Figure>;
const num = (f: Figures | undefined, key: string): number => {
  const v = f?.[key];
  return typeof v === "number" ? v : NaN;
};
const group = (f: Figures | undefined, key: string): Figures | undefined => {
  const v = f?.[key];
  return v && typeof v === "object" ? (v as Figures) : undefined;
};
const n0 = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString("en-GB") : "n/a");
const met = (ok: boolean | null) => (ok === null ? "?" : ok ? "yes" : "**no**");
/** A test that fails when any figure is missing. */
const all = (...values: (number | boolean)[]) =>
  values.some((v) => typeof v === "number" && !Number.isFinite(v)) ? null : values.every(Boolean);

interface Row {
  figure: string;
  measured: string;
  target: string;
  met: string;
}

/** The table of targets, filled in from the commands' figures. */
function table(results: Record<string, Outcome>): Row[] {
  const f = (name: string) => results[name]?.reported?.figures;
  const missing = (name: string) => {
    const r = results[name];
    if (!r) return "not run";
    if (!r.reported) return `FAILED (exit ${r.exitCode})`;
    return null;
  };
  const rows: Row[] = [];
  const row = (names: string[], figure: string, target: string, measure: () => { measured: string; ok: boolean | null }) => {
    const problem = names.map(missing).find((m) => m !== null);
    if (problem) {
      rows.push({ figure, measured: problem, target, met: "?" });
      return;
    }
    const { measured, ok } = measure();
    rows.push({ figure, measured, target, met: met(ok) });
  };

  row(
    ["inbox"],
    `inbox: signed \`Create\` replies from ${f("inbox")?.actors ?? 100} remote actors, ${f("inbox")?.["client concurrency"] ?? 32} at a time, processed (stored, counted)`,
    "≥ 2,000/s, p99 < 50 ms",
    () => {
      const i = f("inbox");
      return {
        measured: `${n0(num(i, "processed/s"))}/s processed (${n0(num(i, "accepted/s"))}/s accepted), p99 ${fmt(num(i, "p99 ms"), 1)} ms; ${n0(num(i, "stored"))} of ${n0(num(i, "activities"))} stored`,
        ok: all(num(i, "processed/s") >= 2000, num(i, "p99 ms") < 50, i?.["all stored"] === true),
      };
    },
  );
  row(
    ["follows"],
    `inbox: signed \`Follow\`s from ${n0(num(f("follows"), "follows"))} actors on ${n0(num(f("follows"), "hosts"))} hosts, accepted`,
    "≥ 2,000/s, p99 < 50 ms",
    () => {
      const x = f("follows");
      return {
        measured: `${n0(num(x, "accepted/s"))}/s accepted, p99 ${fmt(num(x, "p99 ms"), 1)} ms; ${n0(num(x, "processed/s"))}/s stored (actors not seen before, ${fmt(num(x, "actor GETs/follow"), 1)} actor fetches each)`,
        ok: all(num(x, "accepted/s") >= 2000, num(x, "p99 ms") < 50),
      };
    },
  );
  row(["follows"], `${n0(num(f("follows"), "follows"))} \`Follow\`s → every \`Accept\` delivered`, "≤ 15 s", () => {
    const x = f("follows");
    const delivered = x?.["all accepts delivered"] === true;
    return {
      measured: `${fmt(num(x, "last accept ms") / 1000, 1)} s${delivered ? "" : ` (only ${n0(num(x, "accepts unique"))} delivered)`}`,
      ok: all(num(x, "last accept ms") <= 15_000, delivered),
    };
  });
  const fanout = (name: string, key: string) => group(f(name), key);
  row(
    ["fanout:shared"],
    `publish → last delivery, ${n0(num(fanout("fanout:shared", "shared"), "followers"))} followers on ${n0(num(fanout("fanout:shared", "shared"), "inboxes"))} shared inboxes`,
    "≤ 1 s; publish call < 50 ms",
    () => {
      const s = fanout("fanout:shared", "shared");
      const complete = s?.["timed out"] === false && num(s, "unique") >= num(s, "inboxes");
      return {
        measured: `${fmt(num(s, "last ms") / 1000, 2)} s; publish call ${fmt(num(s, "publish ms"), 1)} ms${complete ? "" : " (INCOMPLETE)"}`,
        ok: all(num(s, "last ms") <= 1000, num(s, "publish ms") < 50, complete),
      };
    },
  );
  row(
    ["fanout:distinct"],
    `publish → last delivery, ${n0(num(fanout("fanout:distinct", "distinct"), "inboxes"))} distinct inboxes`,
    "≤ 5 s",
    () => {
      const d = fanout("fanout:distinct", "distinct");
      const complete = d?.["timed out"] === false && num(d, "unique") >= num(d, "inboxes");
      return {
        measured: `${fmt(num(d, "last ms") / 1000, 2)} s; publish call ${fmt(num(d, "publish ms"), 1)} ms${complete ? "" : " (INCOMPLETE)"}`,
        ok: all(num(d, "last ms") <= 5000, complete),
      };
    },
  );
  row(
    ["page"],
    `weeknote page with ${f("page")?.replies ?? 50} replies, rendered (signed in) / cached (signed out)`,
    "≥ 1,500 / ≥ 5,000 req/s",
    () => {
      const rendered = group(f("page"), "rendered");
      const cached = group(f("page"), "cached");
      return {
        measured: `${n0(num(rendered, "requests/s"))} / ${n0(num(cached, "requests/s"))} req/s (p99 ${fmt(num(rendered, "p99 ms"), 0)} / ${fmt(num(cached, "p99 ms"), 0)} ms)`,
        ok: all(num(rendered, "requests/s") >= 1500, num(cached, "requests/s") >= 5000),
      };
    },
  );
  row(["decisions"], `decision register with ${n0(num(f("decisions"), "records"))} records, rendered`, "≥ 1,000 req/s", () => {
    const r = group(f("decisions"), "register");
    return { measured: `${n0(num(r, "requests/s"))} req/s (p99 ${fmt(num(r, "p99 ms"), 0)} ms)`, ok: all(num(r, "requests/s") >= 1000) };
  });
  row(
    ["startup", "fanout:shared", "fanout:distinct", "inbox"],
    "resident memory of one `all` process: idle / during a 10k fan-out / during the inbox bench",
    "< 150 / < 300 / < 300 MB",
    () => {
      const idle = num(f("startup"), "idle RSS MB");
      // The instance's own process when it ran apart (SQLite); else the web side (harness included) and the worker processes together.
      const peak = (g: Figures | undefined) =>
        num(g, "RSS instance peak MB") || num(g, "RSS here peak MB") + (num(g, "RSS workers peak sum MB") || 0);
      const fan = Math.max(peak(fanout("fanout:shared", "shared")), peak(fanout("fanout:distinct", "distinct")));
      const inbox = peak(f("inbox"));
      const postgres = benchSetup().database === "postgres";
      return {
        measured: `${n0(idle)} / ${n0(fan)} / ${n0(inbox)} MB (${postgres ? "fan-out and inbox: web side with the harness + worker processes" : "fan-out and inbox: the instance's own process, as npm start runs it"})`,
        ok: all(idle < 150, fan < 300, inbox < 300),
      };
    },
  );
  row(["startup"], "start to `/health` answering, on a migrated database", "< 1 s", () => {
    const s = f("startup");
    return {
      measured: `${fmt(num(s, "median start ms") / 1000, 2)} s (median of ${n0(num(s, "starts"))}, ${String(s?.runtime ?? "?")})`,
      ok: all(num(s, "median start ms") < 1000),
    };
  });
  row(
    ["growth"],
    `growth: rendered list pages at ${n0(num(f("growth"), "large posts"))} posts vs ${n0(num(f("growth"), "small posts"))} (home / community / tag page; the weeknote page stays flat)`,
    "within 2×",
    () => {
      const pages = group(f("growth"), "pages");
      const slowdown = (name: string) => num(group(pages, name), "slowdown");
      const names = Object.keys(pages ?? {});
      const list = names.filter((name) => !name.startsWith("weeknote"));
      const weeknote = names.find((name) => name.startsWith("weeknote"));
      return {
        measured: `${list.map((name) => `${fmt(slowdown(name), 2)}×`).join(" / ")} slower; weeknote ${weeknote ? `${fmt(slowdown(weeknote), 2)}×` : "n/a"}`,
        ok: all(...list.map((name) => slowdown(name) <= 2)),
      };
    },
  );
  return rows;
}

function markdown(rows: Row[]): string {
  const header = ["figure", "measured", "target", "met?"];
  const cells = rows.map((r) => [r.figure, r.measured, r.target, r.met].map((c) => c.replaceAll("|", "\\|")));
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...cells.map((c) => `| ${c.join(" | ")} |`)].join("\n");
}

/** bench/results/<date>-<commit>-<database>[-<n>processes].json, with the time added if that file exists. */
function resultPath(date: Date, commit: string, database: string, processes: number): string {
  const dir = join(projectRoot, "bench/results");
  mkdirSync(dir, { recursive: true });
  const day = date.toISOString().slice(0, 10);
  const base = `${day}-${commit}-${database}${processes > 1 ? `-${processes}processes` : ""}${QUICK ? "-quick" : ""}`;
  let path = join(dir, `${base}.json`);
  if (existsSync(path)) path = join(dir, `${base}-${date.toISOString().slice(11, 19).replaceAll(":", "")}.json`);
  return path;
}

async function main() {
  const setup = benchSetup();
  const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
  const commands = only ? COMMANDS.filter((c) => only.includes(c.name)) : COMMANDS;
  const { commit, dirty } = benchCommit();
  const date = new Date();
  console.log(
    `bench:all on ${describeSetup(setup)}, commit ${commit}${dirty ? " (with changes)" : ""}, node ${process.version}, ${cpus().length} CPUs; ` +
      `${QUICK ? "QUICK sizes (not comparable)" : "the targets' sizes"}: ${Object.entries(SIZES)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")}`,
  );
  const started = performance.now();
  const results: Record<string, Outcome> = {};
  for (const command of commands) {
    console.log(`\n=== npm run bench:${command.name} ===`);
    const outcome = await runChild(command);
    results[command.name] = outcome;
    console.log(`  (${fmt(outcome.seconds)} s${outcome.exitCode === 0 ? "" : `, exit ${outcome.exitCode}`})`);
  }
  const rows = table(results);
  console.log(
    `\n## Benchmarks: ${describeSetup(setup, true)}, commit ${commit}${dirty ? " (with changes)" : ""}, ${date.toISOString().slice(0, 10)}${QUICK ? " — QUICK sizes, not comparable with the targets" : ""}\n`,
  );
  console.log(markdown(rows));
  const peaks =
    setup.database === "postgres"
      ? "the bench process's (web side, harness included) plus its worker processes'"
      : `the instance's own process's (every bench but growth runs it apart${setup.processes > 1 ? `: the supervisor's and its ${setup.processes} processes' together` : ""})`;
  console.log(
    `\n(${fmt((performance.now() - started) / 1000)} s in all. Memory: idle is the spawned \`all\` process alone; the peaks are ${peaks}.)`,
  );
  if (!RECORD) {
    console.log(QUICK ? "Quick run: not recorded (BENCH_RECORD=1 records it)." : "Not recorded (BENCH_RECORD=0).");
    return;
  }
  const record = {
    date: date.toISOString(),
    commit,
    dirty,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    database: setup.database,
    workers: setup.workers,
    processes: setup.processes,
    quick: QUICK,
    sizes: SIZES,
    settings: {
      CONNEXO_QUEUE_CONCURRENCY: process.env.CONNEXO_QUEUE_CONCURRENCY ?? "32",
      ...(process.env.CONNEXO_QUEUE_PER_ORIGIN ? { CONNEXO_QUEUE_PER_ORIGIN: process.env.CONNEXO_QUEUE_PER_ORIGIN } : {}),
    },
    table: rows,
    benches: Object.fromEntries(
      Object.entries(results).map(([name, o]) => [
        name,
        o.reported
          ? { seconds: Math.round(o.seconds), figures: o.reported.figures }
          : { seconds: Math.round(o.seconds), failed: `exit ${o.exitCode}` },
      ]),
    ),
  };
  const path = resultPath(date, commit, setup.database, setup.processes);
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`Recorded in ${path.slice(projectRoot.length + 1)}`);
}

await main();
