/**
 * Follower pages: how long reading a community's followers takes, page after
 * page, as a fan-out reads them (1,000 a page, newest first), at a size
 * where reading every follower for each page would show.
 *
 *   npm run bench:follower-pages
 *   BENCH_FOLLOWERS=20000 npm run bench:follower-pages
 *   BENCH_DATABASE=postgres npm run bench:follower-pages
 */
import { benchFollower, fmt, percentile, reportJson, seedCommunity, seedFollowers, startInstance } from "./lib.ts";

const FOLLOWERS = Number(process.env.BENCH_FOLLOWERS ?? 100_000);
const SEED_BATCH = 10_000;

const instance = await startInstance();
try {
  const { community } = await seedCommunity(instance, "alice", "team");
  for (let start = 0; start < FOLLOWERS; start += SEED_BATCH) {
    // Nothing is sent to them: one made-up server holds them all.
    const batch = Array.from({ length: Math.min(SEED_BATCH, FOLLOWERS - start) }, (_, k) =>
      benchFollower(start + k, "http://127.21.0.1:9"),
    );
    await seedFollowers(instance, community.id, batch);
  }
  const times: number[] = [];
  let read = 0;
  let cursor: string | null = null;
  do {
    const started = performance.now();
    const page = await instance.services.deliveries.followerPage(community.id, cursor);
    times.push(performance.now() - started);
    read += page.items.length;
    cursor = page.next;
  } while (cursor !== null);
  if (read !== FOLLOWERS) throw new Error(`read ${read} followers of ${FOLLOWERS}`);
  const total = times.reduce((sum, ms) => sum + ms, 0);
  times.sort((a, b) => a - b);
  console.log(
    `${FOLLOWERS} followers in ${times.length} pages: ${fmt(total)} ms in all, median ${fmt(percentile(times, 50), 1)} ms, slowest ${fmt(times.at(-1)!, 1)} ms a page`,
  );
  reportJson("follower-pages", {
    followers: FOLLOWERS,
    pages: times.length,
    "total ms": total,
    "median ms": percentile(times, 50),
    "max ms": times.at(-1)!,
  });
} finally {
  await instance.stop();
}
