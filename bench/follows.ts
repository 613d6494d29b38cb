/**
 * Follows benchmark: a community is found by many people at once. 10,000
 * remote actors on 1,000 hosts send signed `Follow`s of it, 32 at a time; how
 * fast are they accepted (HTTP 202), stored as followers, and answered (every
 * `Accept` delivered to its follower's inbox)?
 *
 *   npm run bench:follows
 *   BENCH_FOLLOWS=2000 BENCH_HOSTS=200 npm run bench:follows
 *   BENCH_FOLLOW_INBOX=community npm run bench:follows     the community's own inbox, not the shared /inbox
 *   BENCH_WARM=1 npm run bench:follows                     actors already known (see below)
 *   BENCH_DATABASE=postgres BENCH_WORKERS=2 npm run bench:follows
 *
 * Sizes: BENCH_FOLLOWS (10000 actors, one Follow each), BENCH_HOSTS (1000),
 * BENCH_KEYS (100 RSA key pairs, shared round-robin by the actors: generating
 * 10,000 would take minutes; each actor still has its own key id and actor
 * document), BENCH_CLIENT_CONCURRENCY (32), BENCH_TIMEOUT_MS (600000).
 *
 * The actors are NOT warmed up: a community that is trending gets follows
 * from people it has never seen, so each Follow costs the instance a fetch of
 * the key (its actor document) to check the signature and the actor's
 * record, as it would in production; the fetches are counted and reported.
 * BENCH_WARM=1 first has every actor follow another community, so that the
 * measured Follows come from actors the instance already knows.
 *
 * Each host is a loopback address of its own (127.20.x.y; all of 127.0.0.0/8
 * is loopback on Linux), so the instance sees 1,000 servers. They are one
 * node:http server in a worker thread, listening on every interface of one
 * port (it drops any connection that is not from loopback): it serves the
 * actor documents and is every actor's inbox, noting when each `Accept`
 * arrives. The load generator is another worker thread; neither competes with
 * the instance for the main event loop (on SQLite this process is the
 * instance, web and worker, as one `all` process).
 */
import type { KeyObject } from "node:crypto";
import {
  benchSetup,
  describeRss,
  describeSetup,
  fmt,
  maxRssLine,
  percentile,
  printTable,
  queueRows,
  reportFigures,
  reportJson,
  rssColumns,
  rssFigures,
  rssSampler,
  runSignedLoad,
  seedCommunity,
  sleep,
  startInstance,
  type BenchInstance,
  makeKey,
  signedPost,
  ThreadServer,
  LOOPBACK_HOSTS,
  loopbackAddress,
} from "./lib.ts";

const FOLLOWS = Number(process.env.BENCH_FOLLOWS ?? 10_000);
const HOSTS = Math.min(Number(process.env.BENCH_HOSTS ?? 1_000), FOLLOWS);
const KEYS = Math.min(Number(process.env.BENCH_KEYS ?? 100), FOLLOWS);
const CLIENT_CONCURRENCY = Number(process.env.BENCH_CLIENT_CONCURRENCY ?? 32);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 600_000);
const INBOX = process.env.BENCH_FOLLOW_INBOX ?? "shared";
const WARM = ["1", "true", "yes"].includes(process.env.BENCH_WARM ?? "");
const QUEUE_CONCURRENCY = process.env.CONNEXO_QUEUE_CONCURRENCY ?? "32";

if (INBOX !== "shared" && INBOX !== "community") throw new Error("BENCH_FOLLOW_INBOX must be shared or community");
if (HOSTS > LOOPBACK_HOSTS) throw new Error(`BENCH_HOSTS must be at most ${LOOPBACK_HOSTS}`);

/** The loopback address of each host: 127.20.0.1, 127.20.0.2, … */
const HOST_ADDRESSES = Array.from({ length: HOSTS }, (_, h) => loopbackAddress(20, h));
/** Actor i lives on host i mod HOSTS. */
const actorId = (i: number, port: number) => `http://${HOST_ADDRESSES[i % HOSTS]}:${port}/actors/a${i}`;

/**
 * The remote servers: actor documents (GET /actors/aN, on the actor's own
 * host only) and inboxes (POST /actors/aN/inbox), where each actor's first
 * Accept's arrival time is noted.
 */
const REMOTE_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const { pems, actors, addresses } = workerData;
let port = 0;
let acceptedAt = new Float64Array(actors);
let accepts = 0, unique = 0, others = 0, gets = 0, refused = 0;
function actorDocument(i, id) {
  return JSON.stringify({
    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
    id,
    type: "Person",
    preferredUsername: "a" + i,
    name: "Remote person " + i,
    inbox: id + "/inbox",
    outbox: id + "/outbox",
    followers: id + "/followers",
    publicKey: { id: id + "#main-key", owner: id, publicKeyPem: pems[i % pems.length] },
  });
}
const server = http.createServer((req, res) => {
  const m = /^\\/actors\\/a(\\d+)(\\/inbox)?$/.exec((req.url || "").split("?")[0]);
  const i = m ? Number(m[1]) : -1;
  const host = i >= 0 && i < actors ? addresses[i % addresses.length] + ":" + port : null;
  if (!m || req.headers.host !== host) { res.writeHead(404); res.end(); return; }
  if (req.method === "GET" && !m[2]) {
    gets++;
    res.writeHead(200, { "content-type": "application/activity+json" });
    res.end(actorDocument(i, "http://" + host + "/actors/a" + i));
    return;
  }
  if (req.method !== "POST" || !m[2]) { res.writeHead(405); res.end(); return; }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const t = performance.timeOrigin + performance.now();
    res.writeHead(202); res.end();
    let type = null;
    try { type = JSON.parse(Buffer.concat(chunks).toString("utf8")).type; } catch {}
    if (type !== "Accept") { others++; return; }
    accepts++;
    if (acceptedAt[i] === 0) { acceptedAt[i] = t; unique++; }
  });
});
// Every interface, for every 127.x.y.z to reach it; only loopback peers are served.
server.on("connection", (socket) => {
  const a = socket.remoteAddress || "";
  if (!(a.startsWith("127.") || a.startsWith("::ffff:127.") || a === "::1")) { refused++; socket.destroy(); }
});
server.keepAliveTimeout = 60000;
server.listen(0, "0.0.0.0", () => { port = server.address().port; parentPort.postMessage({ type: "listening", port }); });
parentPort.on("message", (m) => {
  if (m === "reset") { acceptedAt = new Float64Array(actors); accepts = 0; unique = 0; others = 0; }
  else if (m === "count") parentPort.postMessage({ type: "count", accepts, unique, others, gets, refused });
  else if (m === "report") parentPort.postMessage({ type: "report", acceptedAt: Array.from(acceptedAt) });
  else if (m === "close") server.close(() => process.exit(0));
});
`;

interface RemoteCount {
  accepts: number;
  unique: number;
  others: number;
  gets: number;
  refused: number;
}

class RemoteServers extends ThreadServer {
  constructor(pems: string[]) {
    super(REMOTE_SOURCE, { workerData: { pems, actors: FOLLOWS, addresses: HOST_ADDRESSES } });
  }
  count() {
    return this.ask<RemoteCount & { type: string }>("count", "count");
  }
  /** When each actor's first Accept arrived (ms since the epoch; 0: none). */
  async acceptedAt() {
    return (await this.ask<{ acceptedAt: number[] }>("report", "report")).acceptedAt;
  }
}

/** Actor i's Follow of `object`, draft-cavage rsa-sha256 signed for POST `path` on `inboxHost`. */
function signedFollow(i: number, port: number, privateKey: KeyObject, object: string, tag: string, path: string, inboxHost: string) {
  const id = actorId(i, port);
  const body = JSON.stringify({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${id}/follows/${tag}`,
    type: "Follow",
    actor: id,
    object,
  });
  return signedPost(body, path, inboxHost, `${id}#main-key`, privateKey);
}

/** Polls until `done` says so or the time is up; the wall-clock time (ms since the epoch) it was seen done. */
async function waitUntil(done: () => Promise<boolean>, timeoutMs: number, everyMs = 25): Promise<{ reached: boolean; at: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return { reached: true, at: Date.now() };
    if (Date.now() > deadline) return { reached: false, at: Date.now() };
    await sleep(everyMs);
  }
}

/** Sends every actor's Follow of `community`, waits for them to be stored and answered. */
async function followRun(instance: BenchInstance, remote: RemoteServers, keys: KeyObject[], community: { id: number; handle: string }) {
  const object = `${instance.origin}/@${community.handle}`;
  const path = INBOX === "shared" ? "/inbox" : `/@${community.handle}/inbox`;
  const inboxHost = `127.0.0.1:${instance.port}`;
  const signStarted = performance.now();
  const requests = Array.from({ length: FOLLOWS }, (_, i) =>
    signedFollow(i, remote.port, keys[i % keys.length]!, object, community.handle, path, inboxHost),
  );
  console.log(`pre-signed ${FOLLOWS} Follows of @${community.handle} in ${fmt(performance.now() - signStarted)} ms`);
  if (global.gc) global.gc();
  await sleep(300);
  remote.reset();
  const getsBefore = (await remote.count()).gets;
  const rss = rssSampler(instance.workerPids);
  const loadPromise = runSignedLoad(instance.port, path, requests, CLIENT_CONCURRENCY);
  let followers = 0;
  const stored = await waitUntil(async () => {
    followers = await instance.store.follows.countFollowers(community.id);
    return followers >= FOLLOWS;
  }, TIMEOUT_MS);
  const load = await loadPromise;
  const remaining = Math.max(1_000, TIMEOUT_MS - (stored.at - load.startedAt));
  let count: RemoteCount = await remote.count();
  const answered = await waitUntil(
    async () => {
      count = await remote.count();
      return count.unique >= followers;
    },
    remaining,
    50,
  );
  // A moment for stray duplicates to show.
  await sleep(300);
  count = await remote.count();
  const rssPeaks = rss.stop();
  const acceptedAt = (await remote.acceptedAt()).filter((t) => t > 0).map((t) => t - load.startedAt);
  acceptedAt.sort((a, b) => a - b);
  return { load, stored, followers, answered, count, getsDuring: count.gets - getsBefore, acceptedAt, rssPeaks };
}

async function main() {
  console.log(
    `Follows benchmark: ${describeSetup(benchSetup(), true)}, ${FOLLOWS} actors on ${HOSTS} hosts (${KEYS} key pairs), ` +
      `to the ${INBOX === "shared" ? "shared inbox /inbox" : "community's inbox"}, client concurrency ${CLIENT_CONCURRENCY}, ` +
      `queue concurrency ${QUEUE_CONCURRENCY}, actors ${WARM ? "known (BENCH_WARM)" : "never seen before"}, node ${process.version}`,
  );
  const keyStarted = performance.now();
  const keys = await Promise.all(Array.from({ length: KEYS }, makeKey));
  console.log(`generated ${KEYS} RSA keys in ${fmt(performance.now() - keyStarted)} ms`);
  const remote = new RemoteServers(keys.map((k) => k.publicKeyPem));
  await remote.start();
  // 1,000 hosts but each actor sends once: the rate limits would not bite, but this measures processing; bench:hostile measures the limits.
  const instance = await startInstance({ CONNEXO_INBOX_LIMIT_PER_DOMAIN: "0", CONNEXO_INBOX_LIMIT_PER_ACTOR: "0" }, { ownProcess: true });
  try {
    const { community } = await seedCommunity(instance, "alice", "team");
    const privateKeys = keys.map((k) => k.privateKey);
    if (WARM) {
      const warmup = await instance.services.actors.createCommunity({ handle: "warmup", name: "Warm-up", purpose: "Warming up." });
      const warm = await followRun(instance, remote, privateKeys, { id: warmup.id, handle: "warmup" });
      console.log(
        `warm-up: ${warm.followers} followers of @warmup stored, ${warm.count.unique} Accepts delivered, ${warm.getsDuring} actor document fetches`,
      );
    }
    const run = await followRun(instance, remote, privateKeys, community);
    const { load, stored, answered, count, acceptedAt, rssPeaks } = run;
    const lat = Array.from(load.latencies).sort((a, b) => a - b);
    const sendS = (load.endedAt - load.startedAt) / 1000;
    const storeS = (stored.at - load.startedAt) / 1000;
    const lastAcceptMs = acceptedAt.at(-1) ?? NaN;
    const accepted = load.statuses["202"] ?? 0;
    const row: Record<string, string> = {
      follows: String(FOLLOWS),
      hosts: String(HOSTS),
      "HTTP statuses": JSON.stringify(load.statuses),
      "accepted/s": fmt(accepted / sendS),
      "p50 ms": fmt(percentile(lat, 50), 1),
      "p99 ms": fmt(percentile(lat, 99), 1),
      "max ms": fmt(lat.at(-1) ?? NaN, 1),
      "send ms": fmt(sendS * 1000),
      "all stored ms": stored.reached ? fmt(storeS * 1000) : `>${fmt(storeS * 1000)} (${run.followers} stored)`,
      "processed/s": fmt(run.followers / storeS),
      "Accepts delivered/unique": `${count.accepts}/${count.unique}`,
      "last Accept ms": answered.reached ? fmt(lastAcceptMs) : `>${fmt(lastAcceptMs)} (TIMED OUT)`,
      "actor GETs/follow": fmt(run.getsDuring / FOLLOWS, 2),
      ...rssColumns(rssPeaks),
    };
    printTable(
      "Follows results (times from the first Follow sent; last Accept: when the last follower's inbox got its Accept)",
      Object.keys(row),
      [Object.values(row)],
    );
    console.log(
      `\nactor document GETs during the measured run: ${run.getsDuring}; other POSTs to the inboxes: ${count.others}; non-loopback connections refused: ${count.refused}`,
    );
    console.log(describeRss(rssPeaks, "the load-generator and remote-server threads").join("\n"));
    console.log(maxRssLine());
    console.log(`queue rows left: ${JSON.stringify(await queueRows(instance.database))}`);
    console.log("Targets: ≥ 2,000 Follows/s accepted with p99 < 50 ms; every Accept delivered within 15 s of the first Follow.");
    reportFigures(row);
    reportJson("follows", {
      follows: FOLLOWS,
      hosts: HOSTS,
      keys: KEYS,
      inbox: INBOX,
      warm: WARM,
      "client concurrency": CLIENT_CONCURRENCY,
      statuses: load.statuses,
      "accepted/s": accepted / sendS,
      "p50 ms": percentile(lat, 50),
      "p99 ms": percentile(lat, 99),
      "max ms": lat.at(-1) ?? null,
      "send ms": sendS * 1000,
      "all stored": stored.reached,
      stored: run.followers,
      "all stored ms": storeS * 1000,
      "processed/s": run.followers / storeS,
      "all accepts delivered": answered.reached && count.unique >= FOLLOWS,
      "accepts delivered": count.accepts,
      "accepts unique": count.unique,
      "last accept ms": lastAcceptMs,
      "accept p50 ms": percentile(acceptedAt, 50),
      "actor GETs/follow": run.getsDuring / FOLLOWS,
      ...rssFigures(rssPeaks, instance.ownProcess),
    });
  } finally {
    await instance.stop();
    await remote.close();
  }
}

await main();
process.exit(0);
