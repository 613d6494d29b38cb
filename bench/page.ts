/**
 * Page benchmark: the weeknote page with 50 threaded replies, as a browser
 * asks for it. How many requests a second, and how fast?
 *
 *   npm run bench:page
 *   BENCH_DURATION=20 BENCH_CONNECTIONS=64 npm run bench:page
 *   BENCH_DATABASE=postgres npm run bench:page
 *
 * It measures twice: as signed-out readers get it (the page cache on, as by
 * default), and rendered for every request (the cache off, as signed-in
 * people always get it).
 *
 * The instance runs as `npm start` runs it, in a process of its own (on
 * SQLite; BENCH_PROCESSES=2 runs two, as CONNEXO_PROCESSES=2 does). The load
 * comes from autocannon in a worker thread of this process.
 */
import autocannon from "autocannon";
import {
  benchSetup,
  describeSetup,
  loadFigures,
  printTable,
  reportFigures,
  reportJson,
  rssColumns,
  rssFigures,
  rssSampler,
  type RssPeaks,
  seedCommunity,
  seedRepliedWeeknote,
  startInstance,
} from "./lib.ts";

const REPLIES = Number(process.env.BENCH_REPLIES ?? 50);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

interface Measured {
  row: Record<string, string>;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  rss: RssPeaks;
  ownProcess: boolean;
}

async function measure(cacheSeconds: number): Promise<Measured> {
  const instance = await startInstance({ CONNEXO_PAGE_CACHE_SECONDS: String(cacheSeconds) }, { ownProcess: true });
  try {
    const { person } = await seedCommunity(instance, "alice", "team");
    const { url: postUrl } = await seedRepliedWeeknote(instance, person, "team", REPLIES);
    const check = await fetch(postUrl, { headers: { accept: "text/html" } });
    const html = await check.text();
    if (check.status !== 200 || (html.match(/class="reply"/g) ?? []).length !== REPLIES) {
      throw new Error(`the page is not what we meant to measure: ${check.status}, ${(html.match(/class="reply"/g) ?? []).length} replies`);
    }
    console.log(`Page size: ${(Buffer.byteLength(html) / 1024).toFixed(1)} KiB`);

    // Warm up, then measure.
    await autocannon({ url: postUrl, connections: 8, duration: 2, headers: { accept: "text/html" }, workers: 1 });
    const rss = rssSampler(instance.workerPids);
    const result = await autocannon({
      url: postUrl,
      connections: CONNECTIONS,
      duration: DURATION,
      headers: { accept: "text/html" },
      workers: 1,
    });
    const peaks = rss.stop();
    return {
      row: {
        "page cache": cacheSeconds > 0 ? `on (${cacheSeconds} s)` : "off",
        ...loadFigures(result),
        ...rssColumns(peaks),
      },
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx + result.errors + result.timeouts,
      rss: peaks,
      ownProcess: instance.ownProcess,
    };
  } finally {
    await instance.stop();
  }
}

async function main() {
  console.log(`Weeknote page with ${REPLIES} replies; ${describeSetup(benchSetup(), true)}; ${CONNECTIONS} connections for ${DURATION} s`);
  const cached = await measure(3);
  const rendered = await measure(0);
  const rows = [cached.row, rendered.row];
  printTable(
    "Weeknote page results",
    Object.keys(rows[0]!),
    rows.map((row) => Object.values(row)),
  );
  console.log("Targets: ≥ 1,500 requests/s rendered (signed in), ≥ 5,000 cached (signed out), on 2 cores with SQLite.");
  for (const row of rows) reportFigures(row);
  const figures = (m: Measured) => ({
    "requests/s": m.requestsPerSecond,
    "p50 ms": m.p50,
    "p99 ms": m.p99,
    "non-2xx or errors": m.non2xx,
    ...rssFigures(m.rss, m.ownProcess),
  });
  reportJson("page", {
    replies: REPLIES,
    connections: CONNECTIONS,
    "duration s": DURATION,
    cached: figures(cached),
    rendered: figures(rendered),
  });
}

await main();
