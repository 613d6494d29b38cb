/**
 * Growth benchmark: do the list pages stay fast as an instance fills up?
 * The same pages are measured with 1,000 weeknotes and again with 100,000.
 *
 *   npm run bench:growth
 *   BENCH_GROWTH_POSTS=20000 BENCH_DURATION=5 npm run bench:growth
 *   BENCH_DATABASE=postgres npm run bench:growth
 *
 * Sizes: BENCH_GROWTH_START (1000 posts), BENCH_GROWTH_POSTS (100000),
 * BENCH_DURATION (10 s per page and size), BENCH_CONNECTIONS (32).
 *
 * Pages, rendered for every request (the page cache off, as signed-in people
 * get them): the home page `/`, a community's page `/@team`, a tag's page
 * `/tags/bins`, and a weeknote's page with 50 replies (which should not
 * change with the number of posts elsewhere). The target: each list page at
 * 100,000 posts within 2× of its speed at 1,000 (the "slowdown" figure is
 * requests/s at the small size divided by requests/s at the large one).
 *
 * Seeding: one weeknote is published through the service; the others are
 * copies of its row made by one INSERT … SELECT per batch (new id, title,
 * community, tags and publication time), published and visible: a quarter in
 * each of four communities (one is @team), tagged `openwork` and one of ten
 * tags (a tenth of them `bins`), a minute apart going back from now. Columns
 * the bench does not name are copied as they are, so the rows follow the
 * schema as it changes. On PostgreSQL the tables are then ANALYZEd (as
 * autovacuum would soon do); SQLite runs no ANALYZE, as Connexo never does.
 */
import autocannon from "autocannon";
import type { Database } from "../src/storage/database.ts";
import {
  benchSetup,
  describeSetup,
  fmt,
  loadFigures,
  printTable,
  reportFigures,
  reportJson,
  rssFigures,
  rssSampler,
  seedCommunity,
  seedRepliedWeeknote,
  startInstance,
  type BenchInstance,
} from "./lib.ts";

const START = Number(process.env.BENCH_GROWTH_START ?? 1_000);
const POSTS = Number(process.env.BENCH_GROWTH_POSTS ?? 100_000);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const BATCH = 10_000;
const TAGS = ["bins", "housing", "transport", "budget", "accessibility", "staffing", "parks", "libraries", "digital", "roads"];
const TAG = TAGS[0]!;
const MINUTE = 60_000;

interface Page {
  name: string;
  path: string;
  /** Whether the list page is one the 2× target is for (the weeknote page should stay flat instead). */
  list: boolean;
  /** Checks the page shows what we mean to measure; a description of it. */
  check(body: string): string;
}

const POST_LINK = /href="\/posts\/[0-9a-f-]{36}"/g;
const listing = (min: number) => (body: string) => {
  const n = new Set(body.match(POST_LINK) ?? []).size;
  if (n < min) throw new Error(`the page lists ${n} posts; expected at least ${min}`);
  return `${n} posts linked`;
};

/** Copies the template post's row into posts from..to-1 (numbers give the title, community, tag and time). */
async function copyPosts(database: Database, templateId: string, communities: number[], from: number, to: number, now: number) {
  const tagValues = TAGS.map((t, k) => `(${k}, '${t}')`).join(", ");
  const communityValues = communities.map((id, k) => `(${k}, ${id})`).join(", ");
  if (database.kind === "postgres") {
    const columns = (
      await database.pool.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'posts' ORDER BY ordinal_position",
      )
    ).rows.map((r) => r.column_name);
    const set: Record<string, string> = {
      id: "gen_random_uuid()::text",
      title: "'Week ' || s.n || ': what the team did'",
      community_id: "cm.id",
      tags: "jsonb_build_array('openwork', tg.name)",
      // In bigint: past 35,791 posts, minutes in milliseconds overflow PostgreSQL's int.
      created_at: "$2::bigint - s.n::bigint * 60000",
      published_at: "$2::bigint - s.n::bigint * 60000",
      updated_at: "NULL",
    };
    const exprs = columns.map((c) => set[c] ?? `t.${c}`);
    await database.pool.query(
      `WITH tg(k, name) AS (VALUES ${tagValues}), cm(k, id) AS (VALUES ${communityValues})
       INSERT INTO posts (${columns.join(", ")})
       SELECT ${exprs.join(", ")} FROM posts t, generate_series($3::int, $4::int) AS s(n)
       JOIN tg ON tg.k = s.n % ${TAGS.length} JOIN cm ON cm.k = s.n % ${communities.length}
       WHERE t.id = $1`,
      [templateId, now, from, to - 1],
    );
    return;
  }
  const columns = (database.sqlite.prepare("PRAGMA table_info(posts)").all() as { name: string }[]).map((r) => r.name);
  const uuid =
    "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))";
  const set: Record<string, string> = {
    id: uuid,
    title: "'Week ' || s.n || ': what the team did'",
    community_id: "cm.id",
    tags: "json_array('openwork', tg.name)",
    created_at: "@now - s.n * 60000",
    published_at: "@now - s.n * 60000",
    updated_at: "NULL",
  };
  const exprs = columns.map((c) => set[c] ?? `t.${c}`);
  const insert = database.sqlite.prepare(
    `WITH RECURSIVE s(n) AS (SELECT @from UNION ALL SELECT n + 1 FROM s WHERE n < @last),
       tg(k, name) AS (VALUES ${tagValues}), cm(k, id) AS (VALUES ${communityValues})
     INSERT INTO posts (${columns.join(", ")})
     SELECT ${exprs.join(", ")} FROM posts t, s
     JOIN tg ON tg.k = s.n % ${TAGS.length} JOIN cm ON cm.k = s.n % ${communities.length}
     WHERE t.id = @template`,
  );
  // Under the write lock, as every write on the writing connection.
  await database.writeLock.run(() => insert.run({ from, last: to - 1, now, template: templateId }));
}

/** Grows the instance to `total` weeknotes (the template and the measured weeknote count), in batches; the time taken. */
async function growTo(instance: BenchInstance, templateId: string, communities: number[], have: number, total: number, now: number) {
  const started = performance.now();
  for (let from = have; from < total; from += BATCH)
    await copyPosts(instance.database, templateId, communities, from, Math.min(total, from + BATCH), now);
  if (instance.database.kind === "postgres") await instance.database.pool.query("ANALYZE");
  return performance.now() - started;
}

async function countPosts(database: Database): Promise<number> {
  const sql = "SELECT CAST(count(*) AS integer) AS n FROM posts WHERE state = 'published' AND kind = 'weeknote'";
  if (database.kind === "postgres") return (await database.pool.query<{ n: number }>(sql)).rows[0]!.n;
  return (database.sqlite.prepare(sql).get() as { n: number }).n;
}

interface Measured {
  row: Record<string, string>;
  rps: number;
  p99: number;
}

async function measure(instance: BenchInstance, page: Page, size: number): Promise<Measured> {
  const url = `${instance.origin}${page.path}`;
  const headers = { accept: "text/html" };
  const res = await fetch(url, { headers });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${page.path} answered ${res.status}: ${body.slice(0, 300)}`);
  const holds = page.check(body);
  await autocannon({ url, connections: 8, duration: 2, headers, workers: 1 });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers, workers: 1 });
  console.log(`  ${page.name} at ${size} posts: ${fmt(result.requests.average)} requests/s, p99 ${result.latency.p99} ms (${holds})`);
  return {
    row: { page: page.name, posts: String(size), holds, KiB: (Buffer.byteLength(body) / 1024).toFixed(1), ...loadFigures(result) },
    rps: result.requests.average,
    p99: result.latency.p99,
  };
}

async function main() {
  console.log(
    `Growth benchmark: list pages at ${START} and ${POSTS} weeknotes; ${describeSetup(benchSetup())}; ${CONNECTIONS} connections for ${DURATION} s per page, page cache off`,
  );
  const instance = await startInstance({ CONNEXO_PAGE_CACHE_SECONDS: "0" });
  try {
    const { person, community } = await seedCommunity(instance, "alice", "team");
    const communities = [community.id];
    for (const handle of ["roads", "parks", "libraries"]) {
      const c = await instance.services.actors.createCommunity({ handle, name: `The ${handle}`, purpose: "Working in the open." });
      await instance.services.actors.addMember(handle, "alice", "admin");
      communities.push(c.id);
    }
    const template = await instance.services.weeknotes.publish("team", person, {
      title: "Week 1: what the team did",
      summary: "We kept working in the open.",
      body: "We **published** our plans.\n\n## What went well\n\n- Residents read them\n- We heard back within a day",
      tags: "openwork, bins",
    });
    const weeknote = await seedRepliedWeeknote(instance, person, "team", 50);
    const now = Date.now() - MINUTE;
    const pages: Page[] = [
      { name: "home /", path: "/", list: true, check: listing(10) },
      { name: "community /@team", path: "/@team", list: true, check: listing(10) },
      { name: `tag /tags/${TAG}`, path: `/tags/${TAG}`, list: true, check: listing(10) },
      {
        name: "weeknote (50 replies)",
        path: new URL(weeknote.url).pathname,
        list: false,
        check(body) {
          const replies = (body.match(/class="reply"/g) ?? []).length;
          if (replies !== 50) throw new Error(`the weeknote page shows ${replies} replies, not 50`);
          return "50 replies";
        },
      },
    ];
    const results: Record<string, { small: Measured; large: Measured }> = {};
    const rss = rssSampler(instance.workerPids);
    // The template and the measured weeknote are two of the posts.
    const seedSmall = await growTo(instance, template.id, communities, 2, START, now);
    console.log(`seeded ${await countPosts(instance.database)} weeknotes in ${fmt(seedSmall)} ms`);
    const small = [];
    for (const page of pages) small.push(await measure(instance, page, START));
    const seedLarge = await growTo(instance, template.id, communities, START, POSTS, now);
    console.log(`grew to ${await countPosts(instance.database)} weeknotes in ${fmt(seedLarge / 1000, 1)} s`);
    const large = [];
    for (const page of pages) large.push(await measure(instance, page, POSTS));
    const peaks = rss.stop();
    for (const [i, page] of pages.entries()) results[page.name] = { small: small[i]!, large: large[i]! };

    printTable(
      `Pages rendered at ${START} and ${POSTS} weeknotes (${describeSetup(benchSetup())})`,
      Object.keys(small[0]!.row),
      [...small, ...large].map((m) => Object.values(m.row)),
    );
    const ratios = pages.map((p) => {
      const r = results[p.name]!;
      return {
        page: p.name,
        [`requests/s at ${START}`]: fmt(r.small.rps),
        [`requests/s at ${POSTS}`]: fmt(r.large.rps),
        slowdown: `${fmt(r.small.rps / r.large.rps, 2)}×`,
        [`p99 ms at ${START}`]: fmt(r.small.p99, 1),
        [`p99 ms at ${POSTS}`]: fmt(r.large.p99, 1),
        target: p.list ? "within 2×" : "flat",
      };
    });
    printTable("Growth (slowdown: requests/s at the small size ÷ at the large)", Object.keys(ratios[0]!), ratios.map(Object.values));
    for (const r of ratios) reportFigures(r);
    const worstList = Math.max(...pages.filter((p) => p.list).map((p) => results[p.name]!.small.rps / results[p.name]!.large.rps));
    reportJson("growth", {
      "small posts": START,
      "large posts": POSTS,
      connections: CONNECTIONS,
      "duration s": DURATION,
      "seed to large s": seedLarge / 1000,
      "worst list slowdown": worstList,
      "weeknote slowdown": results["weeknote (50 replies)"]!.small.rps / results["weeknote (50 replies)"]!.large.rps,
      pages: Object.fromEntries(
        pages.map((p) => {
          const r = results[p.name]!;
          return [
            p.name,
            {
              "small requests/s": r.small.rps,
              "small p99 ms": r.small.p99,
              "large requests/s": r.large.rps,
              "large p99 ms": r.large.p99,
              slowdown: r.small.rps / r.large.rps,
            },
          ];
        }),
      ),
      ...rssFigures(peaks),
    });
  } finally {
    await instance.stop();
  }
}

await main();
process.exit(0);
