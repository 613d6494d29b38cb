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
 * The load comes from autocannon in a worker thread, so that it does not
 * share the instance's event loop.
 */
import autocannon from "autocannon";
import { benchSetup, describeSetup, loadFigures, mb, printTable, reportFigures, rssSampler, seedCommunity, startInstance } from "./lib.ts";

const REPLIES = Number(process.env.BENCH_REPLIES ?? 50);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

async function measure(cacheSeconds: number): Promise<Record<string, string>> {
  const instance = await startInstance({ CONNEXO_PAGE_CACHE_SECONDS: String(cacheSeconds) });
  try {
    const { person } = await seedCommunity(instance, "alice", "team");
    const post = await instance.services.weeknotes.publish("team", person, {
      title: "Week 48: the consultation opens",
      summary: "We opened the consultation on bin collections.",
      body: "We **opened the consultation** on Tuesday.\n\n## What went well\n\n- 400 responses in two days\n- The accessible version was ready on day one",
      tags: "consultation, bins, openwork",
    });
    const postUrl = `${instance.origin}/posts/${post.id}`;
    // Replies from many people, every third one answering the one before it, so the thread has depth.
    let previous = postUrl;
    for (let i = 0; i < REPLIES; i++) {
      const actor = `https://elsewhere.example/users/u${i}`;
      const uri = `${actor}/statuses/${i}`;
      await instance.services.replies.receive({
        uri,
        inReplyTo: i % 3 === 2 ? previous : postUrl,
        localPostId: post.id,
        author: {
          uri: actor,
          type: "Person",
          handle: `@u${i}@elsewhere.example`,
          name: `Person ${i}`,
          url: actor,
          iconUrl: `https://elsewhere.example/avatars/${i}.png`,
          inbox: `${actor}/inbox`,
          sharedInbox: null,
        },
        url: uri,
        contentHtml: `<p>Reply number ${i}: <strong>thank you</strong> for publishing this. <a href="https://elsewhere.example/tags/bins">#bins</a></p>`,
        publishedAt: new Date(Date.now() - (REPLIES - i) * 60_000),
        updatedAt: null,
      });
      previous = uri;
    }
    const check = await fetch(postUrl, { headers: { accept: "text/html" } });
    const html = await check.text();
    if (check.status !== 200 || (html.match(/class="reply"/g) ?? []).length !== REPLIES) {
      throw new Error(`the page is not what we meant to measure: ${check.status}, ${(html.match(/class="reply"/g) ?? []).length} replies`);
    }
    console.log(`Page size: ${(Buffer.byteLength(html) / 1024).toFixed(1)} KiB`);

    // Warm up, then measure.
    await autocannon({ url: postUrl, connections: 8, duration: 2, headers: { accept: "text/html" }, workers: 1 });
    const rss = rssSampler();
    const result = await autocannon({
      url: postUrl,
      connections: CONNECTIONS,
      duration: DURATION,
      headers: { accept: "text/html" },
      workers: 1,
    });
    const peaks = rss.stop();
    return {
      "page cache": cacheSeconds > 0 ? `on (${cacheSeconds} s)` : "off",
      ...loadFigures(result),
      "RSS start→peak": `${mb(peaks.start)}→${mb(peaks.self)}`,
    };
  } finally {
    await instance.stop();
  }
}

async function main() {
  console.log(`Weeknote page with ${REPLIES} replies; ${describeSetup(benchSetup())}; ${CONNECTIONS} connections for ${DURATION} s`);
  const rows = [await measure(3), await measure(0)];
  printTable(
    "Weeknote page results",
    Object.keys(rows[0]!),
    rows.map((row) => Object.values(row)),
  );
  console.log("Target: ≥ 3,000 requests/s on 2 cores with SQLite.");
  for (const row of rows) reportFigures(row);
}

await main();
