/**
 * Inbox benchmark: 100 remote actors post signed Create(Note) replies to a
 * Connexo weeknote through the shared inbox, as fast as a bounded-concurrency
 * client allows.
 *
 *   npm run bench:inbox
 *   BENCH_ACTIVITIES=2000 BENCH_CLIENT_CONCURRENCY=16 npm run bench:inbox
 *   BENCH_DATABASE=postgres BENCH_WORKERS=2 npm run bench:inbox
 *
 * The remote actors are served from this thread (they are only fetched while
 * warming up); the load generator runs in a worker thread so that it does not
 * compete with the instance for the main event loop.
 */
import { isReplyPolicy, REPLY_POLICIES, type ReplyPolicy } from "../src/domain/reply-policy.ts";
import type { KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import {
  benchSetup,
  describeRss,
  describeSetup,
  fmt,
  maxRssLine,
  percentile,
  printTable,
  publishWeeknote,
  queueRows,
  reportFigures,
  reportJson,
  rssColumns,
  rssFigures,
  runSignedLoad,
  rssSampler,
  seedCommunity,
  sleep,
  startInstance,
  type LoadResult,
  type RssPeaks,
  type SignedRequest,
  makeKey,
  signedPost,
} from "./lib.ts";

const ACTORS = Number(process.env.BENCH_ACTORS ?? 100);
const N = Number(process.env.BENCH_ACTIVITIES ?? 5_000);
const CLIENT_CONCURRENCY = Number(process.env.BENCH_CLIENT_CONCURRENCY ?? 32);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 180_000);
const QUEUE_CONCURRENCY = process.env.CONNEXO_QUEUE_CONCURRENCY ?? "32";
const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

interface RemoteActor {
  id: string;
  keyId: string;
  privateKey: KeyObject;
  publicKeyPem: string;
}

/** Serves the remote actors' documents; counts the fetches. */
async function startActorServer(actors: () => RemoteActor[]): Promise<{ server: Server; origin: string; fetches: () => number }> {
  let fetches = 0;
  const server = createServer((req, res) => {
    fetches++;
    const path = (req.url ?? "").split("#")[0]!.split("?")[0]!;
    const actor = actors().find((a) => new URL(a.id).pathname === path);
    if (!actor || req.method !== "GET") {
      res.writeHead(404).end();
      return;
    }
    const n = path.split("/").pop();
    res.writeHead(200, { "content-type": "application/activity+json" });
    res.end(
      JSON.stringify({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        id: actor.id,
        type: "Person",
        preferredUsername: n,
        name: `Remote ${n}`,
        inbox: `${actor.id}/inbox`,
        outbox: `${actor.id}/outbox`,
        followers: `${actor.id}/followers`,
        publicKey: { id: actor.keyId, owner: actor.id, publicKeyPem: actor.publicKeyPem },
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { server, origin: `http://127.0.0.1:${port}`, fetches: () => fetches };
}

/** A draft-cavage rsa-sha256 signed POST of a Create(Note) replying to postUrl. */
function signedReply(actor: RemoteActor, seq: number, postUrl: string, inboxHost: string): SignedRequest {
  const published = new Date().toISOString();
  const origin = new URL(actor.id).origin;
  const body = JSON.stringify({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${actor.id}/statuses/${seq}/activity`,
    type: "Create",
    actor: actor.id,
    published,
    to: [PUBLIC],
    cc: [`${actor.id}/followers`],
    object: {
      id: `${origin}${new URL(actor.id).pathname}/statuses/${seq}`,
      type: "Note",
      attributedTo: actor.id,
      inReplyTo: postUrl,
      content: `<p>Reply number ${seq}: thanks for writing this up, it was <strong>useful</strong>.</p>`,
      published,
      to: [PUBLIC],
      cc: [`${actor.id}/followers`],
    },
  });
  return signedPost(body, "/inbox", inboxHost, actor.keyId, actor.privateKey);
}

async function waitForReplies(
  count: () => Promise<number>,
  target: number,
  timeoutMs: number,
): Promise<{ reached: boolean; at: number; last: number }> {
  const deadline = Date.now() + timeoutMs;
  let last = 0;
  for (;;) {
    last = await count();
    if (last >= target) return { reached: true, at: performance.timeOrigin + performance.now(), last };
    if (Date.now() > deadline) return { reached: false, at: performance.timeOrigin + performance.now(), last };
    await sleep(10);
  }
}

/** The measured run's figures, column name → printed value: the table row, and what bench/matrix.ts picks from. */
function figures(load: LoadResult, storedAt: number, reached: boolean, stored: number, rss: RssPeaks): Record<string, string> {
  const lat = Array.from(load.latencies).sort((a, b) => a - b);
  const sendS = (load.endedAt - load.startedAt) / 1000;
  const storeS = (storedAt - load.startedAt) / 1000;
  const accepted = load.statuses["202"] ?? 0;
  return {
    activities: String(N),
    "HTTP statuses": JSON.stringify(load.statuses),
    "accepted/s": fmt(accepted / sendS),
    "p50 ms": fmt(percentile(lat, 50), 1),
    "p99 ms": fmt(percentile(lat, 99), 1),
    "max ms": fmt(lat.at(-1) ?? NaN, 1),
    "send ms": fmt(sendS * 1000),
    "all stored ms": reached ? fmt(storeS * 1000) : `>${fmt(storeS * 1000)} (${stored} stored)`,
    "processed/s": fmt(stored / storeS),
    ...rssColumns(rss),
  };
}

async function main() {
  console.log(
    `Inbox benchmark: ${describeSetup(benchSetup(), true)}, ${ACTORS} actors, ${N} activities, client concurrency ${CLIENT_CONCURRENCY}, queue concurrency ${QUEUE_CONCURRENCY}, node ${process.version}`,
  );
  let actors: RemoteActor[] = [];
  const actorServer = await startActorServer(() => actors);
  // The simulated actors all live on one host: the inbox's rate limits (on by default) would answer most of the load 429.
  // This measures processing; bench:hostile measures the limits.
  const instance = await startInstance({ CONNEXO_INBOX_LIMIT_PER_DOMAIN: "0", CONNEXO_INBOX_LIMIT_PER_ACTOR: "0" }, { ownProcess: true });
  try {
    const keyStarted = performance.now();
    const keys = await Promise.all(Array.from({ length: ACTORS }, makeKey));
    actors = keys.map((k, i) => {
      const id = `${actorServer.origin}/actors/a${i}`;
      return { id, keyId: `${id}#main-key`, ...k };
    });
    console.log(`generated ${ACTORS} RSA keys in ${fmt(performance.now() - keyStarted)} ms`);

    // BENCH_REPLY_POLICY=newcomers measures what a new community's default costs: each reply is checked against what its author did before.
    const { token } = await seedCommunity(instance, "alice", "digital", replyPolicyFromEnv());
    const warmPost = (await publishWeeknote(instance.origin, token, "digital", "Warm-up week")).post;
    const post = (await publishWeeknote(instance.origin, token, "digital", "Measured week")).post;
    const inboxHost = `127.0.0.1:${instance.port}`;
    // Stored replies, shown or held: a new community holds newcomers' replies for approval, and holding one is processing it.
    const countReplies = (id: string) => instance.store.interactions.countReplies(id, ["visible", "held"]);

    // Warm-up: one activity per actor, so every key and actor document is cached.
    const warm = actors.map((a, i) => signedReply(a, 1_000_000 + i, warmPost.url, inboxHost));
    const warmLoad = await runSignedLoad(instance.port, "/inbox", warm, 8);
    const warmDone = await waitForReplies(() => countReplies(warmPost.id), warm.length, 60_000);
    const fetchesAfterWarm = actorServer.fetches();
    console.log(
      `warm-up: ${warm.length} activities, statuses ${JSON.stringify(warmLoad.statuses)}, all stored: ${warmDone.reached} (${warmDone.last}), actor fetches ${fetchesAfterWarm}`,
    );

    const signStarted = performance.now();
    const requests = Array.from({ length: N }, (_, i) => signedReply(actors[i % ACTORS]!, i, post.url, inboxHost));
    console.log(`pre-signed ${N} activities in ${fmt(performance.now() - signStarted)} ms`);

    if (global.gc) global.gc();
    await sleep(500);
    const rss = rssSampler(instance.workerPids);
    const loadPromise = runSignedLoad(instance.port, "/inbox", requests, CLIENT_CONCURRENCY);
    // Poll the store while the load runs; measure from the worker's own start.
    const stored = await waitForReplies(() => countReplies(post.id), N, TIMEOUT_MS);
    const load = await loadPromise;
    const rssPeaks = rss.stop();

    const row = figures(load, stored.at, stored.reached, stored.last, rssPeaks);
    printTable("Inbox results (warm key cache; times from the first request sent)", Object.keys(row), [Object.values(row)]);
    console.log(`\nactor document fetches during measured run: ${actorServer.fetches() - fetchesAfterWarm}`);
    console.log(describeRss(rssPeaks, "the load-generator thread").join("\n"));
    console.log(maxRssLine());
    console.log(`queue rows left: ${JSON.stringify(await queueRows(instance.database))}`);
    reportFigures(row);
    console.log("Targets: ≥ 2,000 activities/s accepted with p99 < 50 ms.");
    const lat = Array.from(load.latencies).sort((a, b) => a - b);
    const sendS = (load.endedAt - load.startedAt) / 1000;
    const storeS = (stored.at - load.startedAt) / 1000;
    reportJson("inbox", {
      activities: N,
      actors: ACTORS,
      "client concurrency": CLIENT_CONCURRENCY,
      statuses: load.statuses,
      "accepted/s": (load.statuses["202"] ?? 0) / sendS,
      "p50 ms": percentile(lat, 50),
      "p99 ms": percentile(lat, 99),
      "max ms": lat.at(-1) ?? null,
      "send ms": sendS * 1000,
      "all stored": stored.reached,
      stored: stored.last,
      "all stored ms": storeS * 1000,
      "processed/s": stored.last / storeS,
      ...rssFigures(rssPeaks, instance.ownProcess),
    });
  } finally {
    await instance.stop();
    actorServer.server.close();
  }
}

await main();
process.exit(0);

/** The reply policy of the community replied to: BENCH_REPLY_POLICY, open unless set. */
function replyPolicyFromEnv(): ReplyPolicy {
  const policy = process.env.BENCH_REPLY_POLICY ?? "open";
  if (!isReplyPolicy(policy)) throw new Error(`BENCH_REPLY_POLICY must be one of ${REPLY_POLICIES.join(", ")}`);
  return policy;
}
