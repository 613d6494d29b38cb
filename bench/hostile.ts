/**
 * Hostile requests against a running instance, while a reader loads the home
 * page: what they cost in event-loop delay, memory and page latency.
 *
 *   npm run bench:hostile
 *
 * (a) a burst of inbox POSTs, each about 600 KB of JSON with 200,000 empty
 *     tags, unsigned and signed with a key the instance has never seen;
 * (b) anonymous 200 MB POSTs to the sign-in form, streamed.
 *
 * The load runs in a worker thread, so this thread's event loop is the
 * instance's alone and its delay is the instance's.
 */
import { createHash, createSign, generateKeyPairSync } from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { fmt, mb, percentile, printTable, seedCommunity, sleep, startInstance } from "./lib.ts";

const BURST = Number(process.env.BENCH_BURST ?? 20);
const FORM_POSTS = Number(process.env.BENCH_FORM_POSTS ?? 4);
const FORM_MB = Number(process.env.BENCH_FORM_MB ?? 200);

interface LoadResult {
  statuses: Record<string, number>;
  ms: number;
}

/**
 * Readies a worker thread with the requests (copying them there costs this
 * thread time, so it happens before measuring); `go` sends them and returns
 * what they were answered, and how long the whole burst took.
 */
async function inWorker(task: object): Promise<{ go(): Promise<LoadResult> }> {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    parentPort.postMessage("ready");
    parentPort.once("message", async () => {
      const t = workerData;
      const started = Date.now();
      const statuses = {};
      const count = (s) => (statuses[s] = (statuses[s] ?? 0) + 1);
      if (t.kind === "inbox") {
        await Promise.all(t.requests.map((r) => fetch(t.url, { method: "POST", headers: r.headers, body: r.body })
          .then(async (res) => { await res.arrayBuffer(); count(res.status); }, () => count("error"))));
      } else {
        const chunk = new Uint8Array(1024 * 1024).fill(97);
        await Promise.all(Array.from({ length: t.posts }, () => {
          let sent = 0;
          const body = new ReadableStream({ pull(c) { if (sent++ >= t.mb) c.close(); else c.enqueue(chunk); } });
          return fetch(t.url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body, duplex: "half" })
            .then(async (res) => { await res.arrayBuffer(); count(res.status); }, () => count("error"));
        }));
      }
      parentPort.postMessage({ statuses, ms: Date.now() - started });
    });`;
  const worker = new Worker(code, { eval: true, workerData: task });
  await new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return {
    go: () =>
      new Promise<LoadResult>((resolve, reject) => {
        worker.once("message", (result: LoadResult) => {
          resolve(result);
          void worker.terminate();
        });
        worker.once("error", reject);
        worker.postMessage("go");
      }),
  };
}

/** Loads the home page once every 50 ms until stopped; returns each load's time. */
function pageTimer(url: string) {
  const times: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await fetch(url).then((r) => r.arrayBuffer());
      times.push(performance.now() - started);
      await sleep(50);
    }
  })();
  return async () => {
    running = false;
    await loop;
    return times.sort((a, b) => a - b);
  };
}

/** An inbox body of about 600 KB: a Create whose Note carries 200,000 empty tags. */
function hugeArrayBody(actor: string, i: number): string {
  return JSON.stringify({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${actor}/activities/${i}`,
    type: "Create",
    actor,
    object: { id: `${actor}/notes/${i}`, type: "Note", content: "x", tag: Array.from({ length: 200_000 }, () => ({})) },
  });
}

function signed(url: string, body: string, keyId: string, privateKey: ReturnType<typeof generateKeyPairSync>["privateKey"]) {
  const target = new URL(url);
  const headers: Record<string, string> = {
    host: target.host,
    date: new Date().toUTCString(),
    digest: `SHA-256=${createHash("sha256").update(body).digest("base64")}`,
    "content-type": "application/activity+json",
  };
  const names = ["(request-target)", "host", "date", "digest", "content-type"];
  const text = names.map((n) => (n === "(request-target)" ? `${n}: post ${target.pathname}` : `${n}: ${headers[n]}`)).join("\n");
  const signature = createSign("RSA-SHA256").update(text).sign(privateKey, "base64");
  const { host: _host, ...rest } = headers;
  return { ...rest, signature: `keyId="${keyId}",algorithm="rsa-sha256",headers="${names.join(" ")}",signature="${signature}"` };
}

async function measure(label: string, origin: string, load: { go(): Promise<LoadResult> }) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
  const stopPages = pageTimer(`${origin}/`);
  await sleep(200);
  delay.enable();
  const result = await load.go();
  delay.disable();
  const pages = await stopPages();
  clearInterval(sampler);
  return [
    label,
    Object.entries(result.statuses)
      .map(([s, n]) => `${n}×${s}`)
      .join(" "),
    fmt(result.ms),
    fmt(delay.max / 1e6),
    fmt(delay.percentile(99) / 1e6),
    `${mb(rssStart)}→${mb(rssPeak)}`,
    `${fmt(percentile(pages, 50))} / ${fmt(percentile(pages, 99))} / ${fmt(pages.at(-1) ?? NaN)}`,
  ];
}

async function main() {
  const instance = await startInstance();
  try {
    await seedCommunity(instance, "alice", "team");
    const inbox = `${instance.origin}/@team/inbox`;
    // A key on a server that does not exist: the signature cannot verify.
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const actor = "http://127.0.0.1:9/users/stranger";
    const bodies = Array.from({ length: BURST }, (_, i) => hugeArrayBody(actor, i));
    console.log(
      `Hostile requests: ${BURST} inbox bodies of ${fmt(bodies[0]!.length / 1024)} KB; ${FORM_POSTS} form POSTs of ${FORM_MB} MB`,
    );
    const rows = [
      await measure(
        `(a) ${BURST} unsigned, 200k tags`,
        instance.origin,
        await inWorker({
          kind: "inbox",
          url: inbox,
          requests: bodies.map((body) => ({ body, headers: { "content-type": "application/activity+json" } })),
        }),
      ),
      await measure(
        `(a) ${BURST} signed, 200k tags`,
        instance.origin,
        await inWorker({
          kind: "inbox",
          url: inbox,
          requests: bodies.map((body) => ({ body, headers: signed(inbox, body, `${actor}#main-key`, privateKey) })),
        }),
      ),
      await measure(
        `(b) ${FORM_POSTS} × ${FORM_MB} MB to /sign-in`,
        instance.origin,
        await inWorker({ kind: "form", url: `${instance.origin}/sign-in`, posts: FORM_POSTS, mb: FORM_MB }),
      ),
    ];
    printTable(
      "Hostile requests while the home page is loaded every 50 ms (SQLite, in-process)",
      ["burst", "answers", "burst ms", "loop delay max ms", "loop delay p99 ms", "RSS start→peak", "page p50 / p99 / max ms"],
      rows,
    );
  } finally {
    await instance.stop();
  }
}

await main();
