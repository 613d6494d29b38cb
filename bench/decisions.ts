/**
 * Decision-record benchmark: how fast records move through their states, and
 * how fast the registers, a long record page and the Atom feed render on an
 * instance holding a few thousand records.
 *
 *   npm run bench:decisions
 *   BENCH_RECORDS=5000 BENCH_DURATION=20 BENCH_CONNECTIONS=64 npm run bench:decisions
 *   BENCH_DATABASE=postgres npm run bench:decisions
 *
 * Sizes: BENCH_RECORDS (2000), BENCH_MOVES (200), BENCH_REPLIES (50),
 * BENCH_SEED_CONCURRENCY (8 records seeded side by side), BENCH_DURATION (10 s
 * per page), BENCH_CONNECTIONS (32).
 *
 * It seeds BENCH_RECORDS records through the decision service (4 communities,
 * all 6 statuses, a few tags; the proposal dates are then spread over the
 * past year so a date filter narrows the register), and times the seeding.
 * Then it takes BENCH_MOVES more records through propose → open → close →
 * decide, one service call after another, and measures these pages rendered
 * for every request (the page cache off, as signed-in people always get them):
 *
 *   /decisions                                   the instance register, no filter
 *   /decisions?status=decided&tag=…&from=…       the register filtered
 *   /@c1/decisions                               one community's register
 *   /decisions/<id>                              a record with 50 history entries and 50 replies
 *   /decisions/feed.atom                         the instance's Atom feed of changes
 *
 * The instance runs as `npm start` runs it, in a process of its own (on
 * SQLite; BENCH_PROCESSES=2 runs two, as CONNEXO_PROCESSES=2 does), and this
 * process seeds and moves records through its own view of the database. The
 * load comes from autocannon in a worker thread of this process; the SQL
 * statements a page runs are counted by rendering it here, through the same
 * app.
 */
import autocannon from "autocannon";
import { DECISION_STATUSES, type DecisionStatus } from "../src/domain/decisions.ts";
import type { Actor } from "../src/domain/types.ts";
import type { DecisionText } from "../src/services/decisions.ts";
import type { Database } from "../src/storage/database.ts";
import {
  benchSetup,
  describeRss,
  describeSetup,
  fmt,
  loadFigures,
  maxRssLine,
  mb,
  percentile,
  printTable,
  reportFigures,
  reportJson,
  rssColumns,
  rssFigures,
  rssSampler,
  seedCommunity,
  sleep,
  startInstance,
  type BenchInstance,
  receiveReplies,
} from "./lib.ts";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 2_000);
const MOVES = Number(process.env.BENCH_MOVES ?? 200);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
/** Records seeded side by side (each record's own moves stay in order). */
const SEED_CONCURRENCY = Number(process.env.BENCH_SEED_CONCURRENCY ?? 8);
const HISTORY = 50;
const REPLIES = Number(process.env.BENCH_REPLIES ?? 50);

const COMMUNITIES = ["c1", "c2", "c3", "c4"];
const TAGS = ["budget", "housing", "transport", "bins", "accessibility", "staffing"];
const FILTER_TAG = "housing";
/** Proposal dates are spread over this many days back; the filter asks for the last FILTER_DAYS of them. */
const SPREAD_DAYS = 365;
const FILTER_DAYS = 90;
const DAY_MS = 86_400_000;

const recordText = (i: number, community: string): DecisionText => ({
  title: `Decision ${i}: how ${community} handles ${TAGS[i % TAGS.length]}`,
  question: `Should ${community} change how it handles ${TAGS[i % TAGS.length]} from next quarter?`,
  context: `We have been asked **${i} times** about this.\n\nThe current arrangement dates from 2019 and:\n\n- costs more each year\n- is hard to explain to residents`,
  options: [
    { title: "Keep it", description: "Change nothing and review next year." },
    { title: "Change it", description: "Move to the new arrangement from next quarter." },
  ],
  // Two tags per record, from a set of six: each tag is on about a third of the records.
  tags: [...new Set([TAGS[i % TAGS.length]!, TAGS[(Math.floor(i / 6) + 3) % TAGS.length]!])],
});

const decision = (person: string, note = "") => ({
  decision: `We will move to the new arrangement from next quarter.${note}`,
  rationale: "It costs less, and residents told us the current one is hard to follow.",
  consequences: "The team will update the guidance and tell partners.",
  deciders: [person, "bob@elsewhere.example"],
});

const inAMonth = () => new Date(Date.now() + 30 * DAY_MS);

/** The status record i is seeded into: every community gets every status. */
const statusOf = (i: number): DecisionStatus => DECISION_STATUSES[Math.floor(i / COMMUNITIES.length) % DECISION_STATUSES.length]!;

interface Seeded {
  people: Actor[];
  ids: string[];
  calls: number;
  ms: number;
}

/**
 * BENCH_RECORDS records through the service, SEED_CONCURRENCY at a time.
 * A superseded record is replaced by the decided record 4 places before it
 * (same community), so it is superseded in a second pass, once that one stands.
 */
async function seedRecords(instance: BenchInstance): Promise<Seeded> {
  const people: Actor[] = [];
  for (const [n, community] of COMMUNITIES.entries()) people.push((await seedCommunity(instance, `p${n + 1}`, community)).person);
  const { decisions } = instance.services;
  const ids: string[] = new Array(RECORDS);
  let calls = 0;
  const started = performance.now();
  const seedOne = async (i: number) => {
    const c = i % COMMUNITIES.length;
    const person = people[c]!;
    const status = statusOf(i);
    const { post } = await decisions.propose(COMMUNITIES[c]!, person, recordText(i, COMMUNITIES[c]!));
    ids[i] = post.id;
    calls++;
    if (status === "open" || status === "closed") {
      await decisions.open(post.id, person, { closesAt: inAMonth() });
      calls++;
    }
    if (status === "closed") {
      await decisions.close(post.id, person, { reason: "We heard enough to decide." });
      calls++;
    }
    if (status === "decided" || status === "superseded") {
      await decisions.decide(post.id, person, decision(person.handle));
      calls++;
    }
    if (status === "withdrawn") {
      await decisions.withdraw(post.id, person, { reason: "The council took the decision out of our hands." });
      calls++;
    }
  };
  await inParallel(RECORDS, SEED_CONCURRENCY, seedOne);
  await inParallel(RECORDS, SEED_CONCURRENCY, async (i) => {
    if (statusOf(i) !== "superseded") return;
    await decisions.supersede(ids[i]!, people[i % COMMUNITIES.length]!, {
      by: ids[i - COMMUNITIES.length]!,
      reason: "A later decision replaces this one.",
    });
    calls++;
  });
  return { people, ids, calls, ms: performance.now() - started };
}

/** Runs task(0 … n-1), at most `concurrency` at a time. */
async function inParallel(n: number, concurrency: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

/** Spreads the seeded records' proposal dates over the past year, so that a date filter narrows the register. */
async function backdate(database: Database, ids: string[]) {
  const now = Date.now();
  const at = ids.map((_, i) => now - (i % SPREAD_DAYS) * DAY_MS);
  if (database.kind === "postgres") {
    await database.pool.query(
      "UPDATE posts SET published_at = v.at, created_at = v.at FROM unnest($1::text[], $2::bigint[]) AS v(id, at) WHERE posts.id = v.id",
      [ids, at],
    );
    // Autovacuum would analyze the grown tables within a minute or so; here the plans are those of that steady state from the start.
    await database.pool.query("ANALYZE");
    return;
  }
  // No ANALYZE on SQLite: Connexo never runs it, so the planner works without statistics, as in production.
  const update = database.sqlite.prepare("UPDATE posts SET published_at = ?, created_at = ? WHERE id = ?");
  // Under the write lock, as every write on the writing connection: none may land inside a transaction in progress.
  await database.writeLock.run(() =>
    database.sqlite.transaction(() => {
      for (const [i, id] of ids.entries()) update.run(at[i], at[i], id);
    })(),
  );
}

/** Takes MOVES records through propose → open → close → decide, one call after another; the time of each call. */
async function measureMoves(instance: BenchInstance, person: Actor) {
  const { decisions } = instance.services;
  const times: number[] = [];
  const timed = async <T>(call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await call();
    times.push(performance.now() - started);
    return result;
  };
  const started = performance.now();
  for (let i = 0; i < MOVES; i++) {
    const { post } = await timed(() => decisions.propose("c1", person, recordText(RECORDS + i, "c1")));
    await timed(() => decisions.open(post.id, person, { closesAt: inAMonth() }));
    await timed(() => decisions.close(post.id, person, { reason: "We heard enough to decide." }));
    await timed(() => decisions.decide(post.id, person, decision(person.handle)));
  }
  const ms = performance.now() - started;
  times.sort((a, b) => a - b);
  return { ms, calls: times.length, p50: percentile(times, 50), p99: percentile(times, 99) };
}

/**
 * The record the page scenario shows: 50 history entries (proposed, opened,
 * closed, decided, then 46 amendments with reasons) and 50 replies from
 * elsewhere, every third answering the one before it.
 */
async function seedPageRecord(instance: BenchInstance, person: Actor): Promise<string> {
  const { decisions } = instance.services;
  const text = recordText(0, "c1");
  const { post } = await decisions.propose("c1", person, { ...text, title: "Bin collections: fortnightly or weekly?" });
  await decisions.open(post.id, person, { closesAt: inAMonth() });
  const recordUrl = `${instance.origin}/decisions/${post.id}`;
  await receiveReplies(instance, post.id, recordUrl, REPLIES, "<strong>weekly</strong> collections matter to us.");
  await decisions.close(post.id, person, { reason: "We heard enough to decide." });
  // The replies came in during the consultation and have no outcome each: a decision recorded without them says why.
  await decisions.decide(post.id, person, {
    ...decision(person.handle),
    reason: "The replies are answered together in the rationale.",
  });
  for (let k = 1; k <= HISTORY - 4; k++) {
    await decisions.edit(
      post.id,
      person,
      { ...text, title: "Bin collections: fortnightly or weekly?", ...decision(person.handle, ` (Revision ${k}.)`) },
      `Amendment ${k}: the wording of the decision was corrected after residents' feedback.`,
    );
  }
  return post.id;
}

/** Queue messages that are due now (a consultation's close waits a month, and is not counted). */
async function dueMessages(database: Database): Promise<number> {
  const sql = "SELECT CAST(count(*) AS integer) AS n FROM queue_messages WHERE available_at <= ";
  if (database.kind === "postgres") return (await database.pool.query<{ n: number }>(`${sql}$1`, [Date.now()])).rows[0]!.n;
  return (database.sqlite.prepare(`${sql}?`).get(Date.now()) as { n: number }).n;
}

/** Waits until the worker has handled the events the seeding queued, so they do not compete with the measured load. */
async function drainQueue(database: Database, timeoutMs = 300_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if ((await dueMessages(database)) === 0) return performance.now() - started;
    await sleep(100);
  }
  throw new Error(`the queue still had ${await dueMessages(database)} due messages after ${timeoutMs} ms`);
}

/**
 * Counts the SQL statements the web process runs while `run` runs. On
 * SQLite that is every run of a statement (prepared ones are compiled once
 * and run many times), on the reading or the writing connection; on
 * PostgreSQL every query through the pool. The fewest over a few runs is
 * taken, since the queue worker may poll meanwhile.
 */
async function statementsPerRequest(database: Database, run: () => Promise<unknown>, tries = 5): Promise<number> {
  let n = 0;
  const counted = (original: (...args: unknown[]) => unknown, applies: (self: unknown) => boolean) =>
    function (this: unknown, ...args: unknown[]) {
      if (applies(this)) n++;
      return original.apply(this, args);
    };
  const restores: (() => void)[] = [];
  if (database.kind === "sqlite") {
    const connections = new Set<unknown>([database.sqlite, database.readerSqlite]);
    const statement = Object.getPrototypeOf(database.readerSqlite.prepare("SELECT 1")) as Record<string, (...args: unknown[]) => unknown>;
    for (const method of ["all", "get", "run", "iterate"]) {
      const original = statement[method]!;
      statement[method] = counted(original, (self) => connections.has((self as { database: unknown }).database));
      restores.push(() => {
        statement[method] = original;
      });
    }
  } else {
    const pool = database.pool as unknown as { query: (...args: unknown[]) => unknown };
    const original = pool.query;
    pool.query = counted(original, () => true);
    restores.push(() => {
      pool.query = original;
    });
  }
  try {
    let fewest = Infinity;
    for (let t = 0; t < tries; t++) {
      n = 0;
      await run();
      fewest = Math.min(fewest, n);
    }
    return fewest;
  } finally {
    for (const restore of restores) restore();
  }
}

interface Scenario {
  name: string;
  path: string;
  accept: string;
  /** What the response must hold for the measurement to mean anything; a description of it. */
  check(body: string): string;
}

async function measurePage(instance: BenchInstance, scenario: Scenario): Promise<Record<string, string>> {
  const url = `${instance.origin}${scenario.path}`;
  const headers = { accept: scenario.accept };
  const get = async () => {
    const res = await fetch(url, { headers });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${scenario.path} answered ${res.status}: ${body.slice(0, 500)}`);
    return body;
  };
  const body = await get();
  const shape = scenario.check(body);
  // Counted where the statements run: this process's app renders the same page, when the instance runs apart.
  const render = instance.ownProcess ? async () => (await instance.app.request(url, { headers })).text() : get;
  const statements = await statementsPerRequest(instance.database, render);
  // Warm up, then measure.
  await autocannon({ url, connections: 8, duration: 2, headers, workers: 1 });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers, workers: 1 });
  return {
    scenario: scenario.name,
    holds: shape,
    KiB: (Buffer.byteLength(body) / 1024).toFixed(1),
    "SQL/req": String(statements),
    ...loadFigures(result),
  };
}

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;
const LISTED = /<h3><a href="\/decisions\/[0-9a-f-]{36}">/g;

function expectListed(expected: (n: number) => boolean, what: string) {
  return (body: string) => {
    const n = count(body, LISTED);
    if (!expected(n)) throw new Error(`the register is not what we meant to measure: ${n} records listed, expected ${what}`);
    return `${n} records listed`;
  };
}

async function main() {
  const setup = benchSetup();
  console.log(
    `Decision records: ${RECORDS} seeded in ${COMMUNITIES.length} communities (+${MOVES} moved, +1 long record); ${describeSetup(setup, true)}; ` +
      `${CONNECTIONS} connections for ${DURATION} s per page, page cache off`,
  );
  const instance = await startInstance({ CONNEXO_PAGE_CACHE_SECONDS: "0" }, { ownProcess: true });
  try {
    // RSS is sampled in two parts: writing (seeding, moves, the long record, the worker's events) and reading (the page loads).
    const writeRss = rssSampler(instance.workerPids);

    const seeded = await seedRecords(instance);
    const seedSeconds = seeded.ms / 1000;
    console.log(
      `Seeded ${RECORDS} records with ${seeded.calls} service calls in ${fmt(seedSeconds, 1)} s: ${fmt(RECORDS / seedSeconds)} records/s, ${fmt(seeded.calls / seedSeconds)} calls/s (${SEED_CONCURRENCY} at a time)`,
    );
    await backdate(instance.database, seeded.ids);
    console.log(`Queue drained ${fmt((await drainQueue(instance.database)) / 1000, 1)} s after seeding`);

    const moves = await measureMoves(instance, seeded.people[0]!);
    console.log(`Moved ${MOVES} records propose → open → close → decide: ${moves.calls} calls in ${fmt(moves.ms / 1000, 1)} s`);
    const pageId = await seedPageRecord(instance, seeded.people[0]!);
    await drainQueue(instance.database);
    const writePeaks = writeRss.stop();
    const readRss = rssSampler(instance.workerPids);

    const fromDate = new Date(Date.now() - FILTER_DAYS * DAY_MS).toISOString().slice(0, 10);
    const scenarios: Scenario[] = [
      { name: "register /decisions", path: "/decisions", accept: "text/html", check: expectListed((n) => n === 20, "a full page of 20") },
      {
        name: "register filtered",
        path: `/decisions?status=decided&tag=${FILTER_TAG}&from=${fromDate}`,
        accept: "text/html",
        check: expectListed((n) => n > 0, "some"),
      },
      {
        name: "community /@c1/decisions",
        path: "/@c1/decisions",
        accept: "text/html",
        check: expectListed((n) => n === 20, "a full page of 20"),
      },
      {
        name: `record page (${HISTORY} history, ${REPLIES} replies)`,
        path: `/decisions/${pageId}`,
        accept: "text/html",
        check(body) {
          const history = count(body, /<li id="history-\d+"/g);
          const replies = count(body, /class="reply"/g);
          if (history !== HISTORY || replies !== REPLIES)
            throw new Error(`the record page is not what we meant to measure: ${history} history entries, ${replies} replies`);
          return `${history} history, ${replies} replies`;
        },
      },
      {
        name: "feed /decisions/feed.atom",
        path: "/decisions/feed.atom",
        accept: "application/atom+xml",
        check(body) {
          const entries = count(body, /<entry>/g);
          if (entries === 0) throw new Error("the feed has no entries");
          return `${entries} entries`;
        },
      },
    ];
    const rows: Record<string, string>[] = [];
    for (const scenario of scenarios) {
      rows.push(await measurePage(instance, scenario));
      console.log(`  measured ${scenario.name}: ${rows.at(-1)!["requests/s"]} requests/s`);
    }
    const readPeaks = readRss.stop();

    printTable(
      `Decision pages, rendered for every request (${describeSetup(setup, true)})`,
      Object.keys(rows[0]!),
      rows.map((r) => Object.values(r)),
    );
    const summary = {
      database: setup.database,
      records: String(RECORDS),
      "seed records/s": fmt(RECORDS / seedSeconds),
      "seed calls/s": fmt(seeded.calls / seedSeconds),
      "moves/s": fmt(moves.calls / (moves.ms / 1000)),
      "records moved/s": fmt(MOVES / (moves.ms / 1000), 1),
      "move p50 ms": fmt(moves.p50, 1),
      "move p99 ms": fmt(moves.p99, 1),
      "RSS here peak while writing": mb(writePeaks.self),
      ...rssColumns(readPeaks),
    };
    printTable(
      "Seeding and moves (service calls; a move is one of propose, open, close, decide); RSS columns: the page loads",
      Object.keys(summary),
      [Object.values(summary)],
    );
    console.log(
      `\nDuring seeding, moves and the long record (the worker handling their events):\n  ${describeRss(writePeaks, "the seeding calls").join("\n  ")}`,
    );
    console.log(`During the page loads:\n  ${describeRss(readPeaks, "the autocannon worker thread").join("\n  ")}`);
    console.log(maxRssLine());
    reportFigures(summary);
    for (const row of rows) reportFigures(row);
    const pages = Object.fromEntries(
      rows.map((row) => [
        row.scenario!,
        {
          "requests/s": Number(row["requests/s"]),
          "p50 ms": Number(row["p50 ms"]),
          "p99 ms": Number(row["p99 ms"]),
          "non-2xx": Number(row["non-2xx"]),
          "SQL/req": Number(row["SQL/req"]),
        },
      ]),
    );
    reportJson("decisions", {
      records: RECORDS,
      connections: CONNECTIONS,
      "duration s": DURATION,
      register: pages["register /decisions"]!,
      pages,
      "seed records/s": RECORDS / seedSeconds,
      "moves/s": moves.calls / (moves.ms / 1000),
      "move p99 ms": moves.p99,
      ...rssFigures(readPeaks, instance.ownProcess),
    });
  } finally {
    await instance.stop();
  }
}

await main();
