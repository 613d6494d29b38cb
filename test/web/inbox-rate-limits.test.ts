import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InboxRateLimiter, WindowCounter } from "../../src/web/inbox-rate-limits.ts";
import { ManualClock } from "../helpers/clock.ts";
import { queryRows } from "../helpers/database.ts";
import { deliver, FakeMastodon, type FakeUser } from "../helpers/fake-mastodon.ts";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { create, follow, like, note } from "../federation/inbox/setup.ts";

const TOKEN = "a-scraper-token-for-the-limits";

/**
 * src/web/inbox-rate-limits.ts: what one server (the host of the signature's
 * key id) and one actor (the key) may post to the inboxes a minute. Beyond
 * that, 429 with Retry-After, before anything is verified, fetched or kept;
 * a server's first Follow goes through all the same.
 */
describe("limits on what each server and actor posts to the inboxes", () => {
  const clock = new ManualClock();
  let connexo: RunningInstance;
  /** A noisy server: mira, otto and sid. */
  let noisy: FakeMastodon;
  /** Another server, quiet: kim. */
  let quiet: FakeMastodon;
  /** A server nobody here has heard of yet: nia and noa. */
  let newcomer: FakeMastodon;
  let weeknoteUrl: string;
  let aliceUri: string;
  let sharedInbox: string;

  const reply = (from: FakeUser) => create(from, note(from, { inReplyTo: weeknoteUrl }));
  const kept = (activity: Record<string, unknown>) =>
    connexo.store.interactions.findReplyByUri(String((activity.object as { id: string }).id));
  const settled = () =>
    eventually(
      async () => {
        const [row] = await queryRows<{ n: number }>(connexo.database, "SELECT count(*) AS n FROM queue_messages WHERE queue = 'fedify'");
        return Number(row!.n) === 0;
      },
      20_000,
      "the inbox queue to drain",
    );
  const metric = async (labels: string) => {
    const response = await connexo.app.request(`${connexo.origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const line = (await response.text()).split("\n").find((l) => l.startsWith(`connexo_inbox_activities_total{${labels}} `));
    return line ? Number(line.split(" ").at(-1)) : 0;
  };

  /** Posts each activity, signed by its sender, and returns the statuses. */
  async function post(...sends: [Record<string, unknown>, FakeUser][]): Promise<number[]> {
    const statuses: number[] = [];
    for (const [activity, from] of sends) statuses.push((await deliver(sharedInbox, activity, from)).status);
    return statuses;
  }

  beforeAll(async () => {
    [connexo, noisy, quiet, newcomer] = await Promise.all([
      startInstance(
        { CONNEXO_INBOX_LIMIT_PER_ACTOR: "3", CONNEXO_INBOX_LIMIT_PER_DOMAIN: "5", CONNEXO_METRICS_TOKEN: TOKEN },
        { now: clock.now },
      ),
      FakeMastodon.start(["mira", "otto", "sid"]),
      FakeMastodon.start(["kim"]),
      FakeMastodon.start(["nia", "noa"]),
    ]);
    const { person: alice } = await seedCommunity(connexo, { person: "alice", community: "team" });
    const post = await connexo.services.weeknotes.publish("team", alice, {
      title: "Week 49: the councils reply",
      summary: "Three councils answered the consultation.",
      body: "Three councils **answered**.",
    });
    weeknoteUrl = `${connexo.origin}/posts/${post.id}`;
    aliceUri = `${connexo.origin}/@alice`;
    sharedInbox = `${connexo.origin}/inbox`;
  });
  afterAll(async () => {
    await Promise.all([connexo?.stop(), noisy?.close(), quiet?.close(), newcomer?.close()]);
  });

  it("answers 429 with Retry-After beyond an actor's and a server's limit, keeps nothing of what it refused, and counts it", async () => {
    const [mira, otto, sid] = [noisy.user("mira"), noisy.user("otto"), noisy.user("sid")];
    const miras = [reply(mira), reply(mira), reply(mira), reply(mira)];
    expect(await post(...miras.map((a): [Record<string, unknown>, FakeUser] => [a, mira]))).toEqual([202, 202, 202, 429]);

    // Within the minute, one actor past its limit: the answer says when the minute is over.
    clock.advance(20_000);
    const refused = await deliver(sharedInbox, reply(mira), mira);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("40");
    expect(await refused.json()).toEqual({ error: expect.stringMatching(/too many/i) });

    // Another actor of the same server has its own count, until the server's is spent.
    const ottos = [reply(otto), reply(otto), reply(otto)];
    expect(await post(...ottos.map((a): [Record<string, unknown>, FakeUser] => [a, otto]))).toEqual([202, 202, 429]);
    const sids = reply(sid);
    const held = await deliver(sharedInbox, sids, sid);
    expect(held.status).toBe(429);
    expect(held.headers.get("retry-after")).toBe("40");
    // Not a first Follow's way round: the server may not follow anyone here, but a Like is no Follow.
    expect((await deliver(sharedInbox, like(sid, weeknoteUrl), sid)).status).toBe(429);

    // Another server is not held back by this one.
    const kim = quiet.user("kim");
    const kims = reply(kim);
    expect((await deliver(sharedInbox, kims, kim)).status).toBe(202);

    await settled();
    for (const activity of [...miras.slice(0, 3), ...ottos.slice(0, 2), kims]) {
      await eventually(() => kept(activity), 15_000, "an accepted reply");
    }
    for (const activity of [miras[3]!, ottos[2]!, sids]) expect(await kept(activity)).toBeNull();
    // Refused on the key id alone: the keys of those turned away were never fetched.
    expect(noisy.gets.filter((path) => path.startsWith("/users/sid"))).toEqual([]);

    expect(await metric(`type="Create",outcome="limited"`)).toBe(4);
    expect(await metric(`type="Like",outcome="limited"`)).toBe(1);
  });

  it("lets the same actors through again once the minute is over", async () => {
    const [mira, sid] = [noisy.user("mira"), noisy.user("sid")];
    expect((await deliver(sharedInbox, reply(mira), mira)).status).toBe(429);
    clock.advance(40_000);
    const again = [reply(mira), reply(sid)];
    expect(await post([again[0]!, mira], [again[1]!, sid])).toEqual([202, 202]);
    await settled();
    for (const activity of again) await eventually(() => kept(activity), 15_000, "a reply after the minute");
  });

  it("lets a server's first Follow through over its limits, and only while nobody there follows anyone here", async () => {
    clock.advance(60_000);
    const [nia, noa] = [newcomer.user("nia"), newcomer.user("noa")];
    // nia spends her own limit, noa the rest of the server's.
    expect(await post([reply(nia), nia], [reply(nia), nia], [reply(nia), nia], [reply(noa), noa], [reply(noa), noa])).toEqual([
      202, 202, 202, 202, 202,
    ]);
    expect((await deliver(sharedInbox, reply(nia), nia)).status).toBe(429);
    expect((await deliver(sharedInbox, like(noa, weeknoteUrl), noa)).status).toBe(429);

    expect((await deliver(sharedInbox, follow(nia, aliceUri), nia)).status).toBe(202);
    await eventually(() => connexo.services.follows.hasFollowerFrom(newcomer.origin), 15_000, "nia following alice");
    expect(await connexo.services.follows.hasFollowerFrom(noisy.origin)).toBe(false);

    // Now someone there follows someone here: the next Follow waits like anything else.
    const second = await deliver(sharedInbox, follow(noa, aliceUri), noa);
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("counts only what a server really signed: requests forged in its name use up none of its allowance", async () => {
    clock.advance(60_000);
    const kim = quiet.user("kim");
    const sid = noisy.user("sid");
    // Signed with sid's key while naming kim's: refused for the signature, again and again.
    for (let i = 0; i < 8; i++) {
      expect((await deliver(sharedInbox, reply(kim), kim, { privateKey: sid.privateKey })).status).toBe(401);
    }
    // Kim's own replies are still within kim's limit of 3.
    const own = [reply(kim), reply(kim), reply(kim)];
    expect(await post(...own.map((activity) => [activity, kim] as [Record<string, unknown>, FakeUser]))).toEqual([202, 202, 202]);
    await settled();
    for (const activity of own) expect(await kept(activity)).not.toBeNull();
  });
});

describe("the counters behind the limits", () => {
  it("hold a bounded number of keys, the least recently seen going first", () => {
    const counter = new WindowCounter(2, 60_000, 3);
    for (const key of ["a.example", "b.example", "c.example"]) counter.add(key, 0);
    counter.add("a.example", 0);
    expect(counter.wait("a.example", 1_000)).toBe(59_000);
    for (let i = 0; i < 100; i++) counter.add(`flood-${i}.example`, 0);
    expect(counter.size).toBe(3);
    // Forgotten: a fresh start.
    expect(counter.wait("a.example", 1_000)).toBe(0);
  });

  it("turn a limit off at 0, and count only what is counted (a verified signature), not what is only checked", async () => {
    const clock = new ManualClock(0);
    const limiter = new InboxRateLimiter({ limits: { perDomain: 0, perActor: 1 }, now: clock.now, hasFollowerFrom: async () => false });
    const key = (actor: string) => new URL(`https://one.example/users/${actor}#main-key`);
    // Checked again and again (forged, never verified): nothing is used up.
    for (let i = 0; i < 5; i++) expect(limiter.check(key("user0"))).toEqual({ ok: true });
    for (let i = 0; i < 50; i++) {
      expect(limiter.check(key(`user${i}`))).toEqual({ ok: true });
      limiter.count(key(`user${i}`));
    }
    expect(limiter.check(key("user0"))).toEqual({ ok: false, retryAfterSeconds: 60 });
    clock.advance(59_500);
    expect(limiter.check(key("user0"))).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock.advance(500);
    expect(limiter.check(key("user0"))).toEqual({ ok: true });
    expect(
      new InboxRateLimiter({ limits: { perDomain: 0, perActor: 0 }, now: clock.now, hasFollowerFrom: async () => false }).enabled,
    ).toBe(false);
  });
});
