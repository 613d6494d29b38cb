/**
 * Fan-out benchmark: a community with 10,000 followers publishes a weeknote;
 * how fast do its Announces reach every inbox?
 *
 *   npm run bench:fanout                 both scenarios (one JSON line with both)
 *   npm run bench:fanout:shared          1,000 shared inboxes only (bench:all's "publish → last delivery" figure)
 *   npm run bench:fanout:distinct        an inbox per follower only
 *   CONNEXO_QUEUE_CONCURRENCY=64 npm run bench:fanout
 *   BENCH_FOLLOWERS=2000 BENCH_SCENARIOS=shared npm run bench:fanout
 *   BENCH_HOSTS=1 npm run bench:fanout   every inbox on one server
 *   BENCH_DATABASE=postgres BENCH_WORKERS=2 npm run bench:fanout
 *
 * The followers live on BENCH_HOSTS servers (1,000): follower i on server
 * i mod BENCH_HOSTS, and shared inbox s on server s mod BENCH_HOSTS, so that
 * 1,000 shared inboxes are 1,000 servers, as on the fediverse (a shared inbox
 * is a server's), and 10,000 distinct inboxes are ten on each server. Each
 * server is a loopback address of its own (127.21.x.y); the worker gives each
 * remote server only CONNEXO_QUEUE_PER_ORIGIN deliveries at a time (8), so
 * BENCH_HOSTS=1 puts every inbox on one server and measures that limit.
 *
 * The sink (a node:http server answering 202, on every interface of one port,
 * dropping connections that are not from loopback) runs in a worker thread,
 * so that it does not compete with the instance for the main event loop.
 */
import {
  benchFollower,
  benchSetup,
  describeRss,
  describeSetup,
  fmt,
  maxRssLine,
  percentile,
  printTable,
  publishWeeknote,
  reportFigures,
  reportJson,
  rssColumns,
  rssFigures,
  rssSampler,
  seedCommunity,
  seedFollowers,
  sleep,
  startInstance,
  type BenchInstance,
  type RssPeaks,
  ThreadServer,
  LOOPBACK_HOSTS,
  loopbackAddress,
} from "./lib.ts";

const FOLLOWERS = Number(process.env.BENCH_FOLLOWERS ?? 10_000);
const SHARED_INBOXES = Number(process.env.BENCH_SHARED_INBOXES ?? 1_000);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 180_000);
const CONCURRENCY = process.env.CONNEXO_QUEUE_CONCURRENCY ?? "32";
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? "shared,distinct").split(",");
const HOSTS = Number(process.env.BENCH_HOSTS ?? 1_000);
if (!Number.isInteger(HOSTS) || HOSTS < 1 || HOSTS > LOOPBACK_HOSTS)
  throw new Error(`BENCH_HOSTS must be a whole number from 1 to ${LOOPBACK_HOSTS}`);
/** The address of remote server h: 127.21.0.1, 127.21.0.2, … */
const serverOrigin = (h: number, port: number) => `http://${loopbackAddress(21, h % HOSTS)}:${port}`;

const SINK_SOURCE = `
const { parentPort } = require("node:worker_threads");
const http = require("node:http");
let announces = [];   // [url, time, url, time, ...]
let others = 0;
let refused = 0;
const server = http.createServer((req, res) => {
  if (req.method !== "POST") { res.writeHead(404); res.end(); return; }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const t = performance.timeOrigin + performance.now();
    res.writeHead(202); res.end();
    let type = null;
    try { type = JSON.parse(Buffer.concat(chunks).toString("utf8")).type; } catch {}
    if (type === "Announce") announces.push(req.url, t); else others++;
  });
});
// Every interface, for every 127.x.y.z to reach it; only loopback peers are served.
server.on("connection", (socket) => {
  const a = socket.remoteAddress || "";
  if (!(a.startsWith("127.") || a.startsWith("::ffff:127.") || a === "::1")) { refused++; socket.destroy(); }
});
server.keepAliveTimeout = 60000;
server.listen(0, "0.0.0.0", () => parentPort.postMessage({ type: "listening", port: server.address().port }));
parentPort.on("message", (m) => {
  if (m === "reset") { announces = []; others = 0; }
  else if (m === "count") parentPort.postMessage({ type: "count", announces: announces.length / 2, others });
  else if (m === "report") parentPort.postMessage({ type: "report", announces, others, refused });
  else if (m === "close") server.close(() => process.exit(0));
});
`;

class Sink extends ThreadServer {
  constructor() {
    super(SINK_SOURCE);
  }
  count() {
    return this.ask<{ announces: number; others: number }>("count", "count");
  }
  report() {
    return this.ask<{ announces: (string | number)[]; others: number; refused: number }>("report", "report");
  }
}

/** FOLLOWERS remote followers, on shared inboxes or each on its own; returns how long seeding took (ms). */
async function seedSinkFollowers(instance: BenchInstance, communityId: number, sinkPort: number, shared: boolean) {
  const followers = Array.from({ length: FOLLOWERS }, (_, i) => {
    const inbox = i % SHARED_INBOXES;
    return benchFollower(i, serverOrigin(i, sinkPort), shared ? `${serverOrigin(inbox, sinkPort)}/shared/${inbox}/inbox` : null);
  });
  const started = performance.now();
  await seedFollowers(instance, communityId, followers);
  return performance.now() - started;
}

interface Result {
  /** "shared" or "distinct". */
  key: string;
  scenario: string;
  coldPublishMs: number;
  followers: number;
  expectedInboxes: number;
  seedMs: number;
  publishMs: number;
  delivered: number;
  unique: number;
  others: number;
  /** Connections the sink dropped because they were not from loopback. */
  refused: number;
  firstMs: number;
  lastMs: number;
  rate: number;
  p50: number;
  p99: number;
  rss: RssPeaks;
  /** Whether the instance ran in a process of its own (its RSS is then the one worker peak). */
  ownProcess: boolean;
  timedOut: boolean;
}

async function runScenario(sink: Sink, key: string, name: string, shared: boolean): Promise<Result> {
  const instance = await startInstance({}, { ownProcess: true });
  try {
    const { community, token } = await seedCommunity(instance, "alice", "digital");
    // A warm-up publish in a community without followers, so the measured call is not the process's first.
    await instance.services.actors.createCommunity({ handle: "warmup", name: "Warm-up", purpose: "Warming up." });
    await instance.services.actors.addMember("warmup", "alice", "admin");
    const cold = await publishWeeknote(instance.origin, token, "warmup", "Warm-up week");
    await sleep(500);
    const seedMs = await seedSinkFollowers(instance, community.id, sink.port, shared);
    const expected = shared ? Math.min(SHARED_INBOXES, FOLLOWERS) : FOLLOWERS;
    if (global.gc) global.gc();
    await sleep(200);
    sink.reset();
    const rss = rssSampler(instance.workerPids);
    const { ms: publishMs, startedAt } = await publishWeeknote(instance.origin, token, "digital");
    const deadline = Date.now() + TIMEOUT_MS;
    let timedOut = false;
    for (;;) {
      const { announces } = await sink.count();
      if (announces >= expected) break;
      if (Date.now() > deadline) {
        timedOut = true;
        break;
      }
      await sleep(20);
    }
    // A moment for stray duplicates to show.
    await sleep(300);
    const rssPeaks = rss.stop();
    const report = await sink.report();
    const times: number[] = [];
    const urls = new Set<string>();
    for (let i = 0; i < report.announces.length; i += 2) {
      urls.add(report.announces[i] as string);
      times.push((report.announces[i + 1] as number) - startedAt);
    }
    times.sort((a, b) => a - b);
    const lastMs = times.at(-1) ?? NaN;
    return {
      key,
      scenario: name,
      coldPublishMs: cold.ms,
      followers: FOLLOWERS,
      expectedInboxes: expected,
      seedMs,
      publishMs,
      delivered: times.length,
      unique: urls.size,
      others: report.others,
      refused: report.refused,
      firstMs: times[0] ?? NaN,
      lastMs,
      rate: times.length / (lastMs / 1000),
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      ownProcess: instance.ownProcess,
      rss: rssPeaks,
      timedOut,
    };
  } finally {
    await instance.stop();
  }
}

/** One scenario's figures, column name → printed value: the table row, and what bench/matrix.ts picks from. */
function figures(r: Result): Record<string, string> {
  return {
    scenario: r.scenario + (r.timedOut ? " (TIMED OUT)" : ""),
    inboxes: String(r.expectedInboxes),
    servers: String(Math.min(HOSTS, r.expectedInboxes)),
    "seed ms": fmt(r.seedMs),
    "1st publish ms (0 followers)": fmt(r.coldPublishMs, 1),
    "publish ms": fmt(r.publishMs, 1),
    "delivered/unique": `${r.delivered}/${r.unique}`,
    "first ms": fmt(r.firstMs),
    "last ms": fmt(r.lastMs),
    "deliveries/s": fmt(r.rate),
    "p50 ms": fmt(r.p50),
    "p99 ms": fmt(r.p99),
    ...rssColumns(r.rss),
    "other POSTs": String(r.others),
  };
}

async function main() {
  console.log(
    `Fan-out benchmark: ${FOLLOWERS} followers on ${HOSTS} servers, ${describeSetup(benchSetup(), true)}, queue concurrency ${CONCURRENCY}, node ${process.version}`,
  );
  const sink = new Sink();
  await sink.start();
  const results: Result[] = [];
  try {
    if (SCENARIOS.includes("shared")) results.push(await runScenario(sink, "shared", `(a) ${SHARED_INBOXES} shared inboxes`, true));
    if (SCENARIOS.includes("distinct")) results.push(await runScenario(sink, "distinct", "(b) distinct inboxes", false));
  } finally {
    await sink.close();
  }
  const rows = results.map(figures);
  printTable(
    "Fan-out results (latencies relative to the moment publish was called)",
    Object.keys(rows[0] ?? {}),
    rows.map((r) => Object.values(r)),
  );
  for (const r of results) {
    console.log(`\n${r.scenario}, during the measured publish:\n  ${describeRss(r.rss, "the sink thread").join("\n  ")}`);
    if (r.refused > 0) console.log(`  the sink refused ${r.refused} connections that were not from loopback`);
  }
  for (const row of rows) reportFigures(row);
  console.log(`\n${maxRssLine()}`);
  console.log(
    "Targets: 10k followers on 1k shared inboxes delivered within 1 s, publish call under 50 ms; on 10k distinct inboxes within 5 s.",
  );
  const scenarioFigures = (r: Result) => ({
    followers: r.followers,
    inboxes: r.expectedInboxes,
    servers: Math.min(HOSTS, r.expectedInboxes),
    "timed out": r.timedOut,
    "publish ms": r.publishMs,
    "1st publish ms (0 followers)": r.coldPublishMs,
    delivered: r.delivered,
    unique: r.unique,
    "first ms": r.firstMs,
    "last ms": r.lastMs,
    "deliveries/s": r.rate,
    "p50 ms": r.p50,
    "p99 ms": r.p99,
    ...rssFigures(r.rss, r.ownProcess),
  });
  reportJson("fanout", Object.fromEntries(results.map((r) => [r.key, scenarioFigures(r)])));
}

await main();
process.exit(0);
