import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor, RemoteActorInput } from "../../src/domain/types.ts";
import { queryRows } from "../helpers/database.ts";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

/** More than the longest page (50), so that every list has at least two pages. */
const ITEMS = 55;
/** Items share a time in groups this large, so that pages of 20, 30 and 50 each end in the middle of a tie. */
const TIE = 7;
const BASE = Date.UTC(2026, 10, 2, 9);
const timeOf = (n: number) => BASE + Math.floor(n / TIE) * 60_000;

const remote = (name: string): RemoteActorInput => ({
  uri: `https://elsewhere.example/users/${name}`,
  type: "Person",
  handle: `@${name}@elsewhere.example`,
  name: `Account ${name}`,
  url: `https://elsewhere.example/@${name}`,
  iconUrl: null,
  inbox: `https://elsewhere.example/users/${name}/inbox`,
  sharedInbox: null,
});

/** Every list pages both ways by (time, id): walking older, then newer, shows each item exactly once each way. */
describe("paging through lists", () => {
  let instance: RunningInstance;
  let alice: Actor;
  let web: WebClient;

  /** The items of the page at `path` (read by `items`), and where its older and newer links go. */
  async function read(path: string, items: string, nav: string) {
    const res = await web.get(path);
    expect(res.status, path).toBe(200);
    const html = page(web.lastHtml);
    return {
      items: html.attrs(items, "href") as string[],
      older: html.attrs(`${nav} a[rel=next]`, "href")[0] ?? null,
      newer: html.attrs(`${nav} a[rel=prev]`, "href")[0] ?? null,
    };
  }

  /** Walks from `start` to the oldest page and back to the newest, and checks both walks against what was made. */
  async function walk(start: string, items: string, nav: string, expected: string[]) {
    const first = await read(start, items, nav);
    expect(first.newer, "the first page has nothing newer").toBeNull();
    const pages = [first];
    while (pages.at(-1)!.older) pages.push(await read(pages.at(-1)!.older!, items, nav));
    expect(pages.length).toBeGreaterThan(1);
    const goingOlder = pages.flatMap((p) => p.items);
    expect(goingOlder).toEqual(expected);

    const back = [pages.at(-1)!];
    while (back.at(-1)!.newer) back.push(await read(back.at(-1)!.newer!, items, nav));
    expect(back.length).toBe(pages.length);
    const goingNewer = back.reverse().flatMap((p) => p.items);
    expect(goingNewer).toEqual(expected);
  }

  /** Newest first: later time first, and among equal times the greater id first, as the lists order them. */
  const newestFirst = <T extends { at: number; id: string | number }>(rows: T[]) =>
    [...rows].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));

  let posts: { at: number; id: string; path: string }[] = [];

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    ({ person: alice } = await seedCommunity(instance, { person: "alice", community: "team" }));
    const { services, store, database } = instance;
    for (let n = 0; n < ITEMS; n++) {
      const post = await services.weeknotes.publish("team", alice, {
        title: `Week ${n}`,
        summary: "Notes.",
        body: "Text.",
        tags: ["paging"],
      });
      await queryRows(database, "UPDATE posts SET published_at = ? WHERE id = ?", [timeOf(n), post.id]);
      posts.push({ at: timeOf(n), id: post.id, path: `/posts/${post.id}` });
    }
    posts = newestFirst(posts);

    // The network view: posts of an account Alice follows, with ties too.
    const following = await store.follows.createFollowing({ id: "f-zoe", actorId: alice.id, target: remote("zoe").uri }, []);
    const zoe = await store.remoteActors.upsert(remote("zoe"));
    await store.follows.resolveFollowing(following.id, zoe.id, "accepted");
    for (let n = 0; n < ITEMS; n++) {
      await services.interactions.receiveRemotePost(
        {
          uri: `https://elsewhere.example/notes/${n}`,
          announcedBy: null,
          type: "Note",
          name: `Note ${n}`,
          summary: null,
          contentHtml: "<p>Text</p>",
          url: `https://elsewhere.example/@zoe/${n}`,
          inReplyTo: null,
          decision: null,
          publishedAt: new Date(timeOf(n)),
          updatedAt: null,
        },
        remote("zoe"),
      );
    }

    // Those Alice follows, and those who follow her, also with ties.
    for (let n = 0; n < ITEMS; n++) {
      const name = `a${n}`;
      const saved = await store.remoteActors.upsert(remote(name));
      const f = await store.follows.createFollowing({ id: `f-${n}`, actorId: alice.id, target: remote(name).uri }, []);
      await store.follows.resolveFollowing(f.id, saved.id, "accepted");
      await store.follows.addFollower(alice.id, saved.id, `https://elsewhere.example/follows/${n}`);
      await queryRows(database, "UPDATE followings SET created_at = ? WHERE id = ?", [timeOf(n), f.id]);
      await queryRows(database, "UPDATE followers SET created_at = ? WHERE remote_actor_id = ?", [timeOf(n), saved.id]);
    }
    await queryRows(database, "UPDATE followings SET created_at = ? WHERE id = ?", [timeOf(0), "f-zoe"]);

    web = new WebClient(instance, instance.origin);
    await web.signIn("alice", "a long enough password");
  });
  afterAll(() => instance?.stop());

  it("pages the front page", async () => {
    await walk(
      "/",
      "section[aria-labelledby=latest] .post-list a[href^='/posts/']",
      "nav.paging",
      posts.map((p) => p.path),
    );
  });

  it("pages a community's weeknotes and a person's", async () => {
    for (const start of ["/@team", "/@alice"]) {
      await walk(
        start,
        "section[aria-labelledby=weeknotes] .post-list a[href^='/posts/']",
        "nav.paging",
        posts.map((p) => p.path),
      );
    }
  });

  it("pages a tag", async () => {
    await walk(
      "/tags/paging",
      ".post-list a[href^='/posts/']",
      "nav.paging",
      posts.map((p) => p.path),
    );
  });

  it("pages the network view", async () => {
    const notes = newestFirst(
      Array.from({ length: ITEMS }, (_, n) => ({
        at: timeOf(n),
        id: `https://elsewhere.example/notes/${n}`,
        url: `https://elsewhere.example/@zoe/${n}`,
      })),
    );
    await walk(
      "/timeline",
      ".post-list h3 a",
      "nav[aria-label='More posts']",
      notes.map((n) => n.url),
    );
  });

  it("pages whom one follows, and one's followers", async () => {
    const rows = await queryRows<{ id: string; created_at: number; url: string }>(
      instance.database,
      "SELECT f.id, f.created_at, r.url FROM followings f JOIN remote_actors r ON r.id = f.remote_actor_id WHERE f.actor_id = ?",
      [alice.id],
    );
    const followed = newestFirst(rows.map((r) => ({ at: Number(r.created_at), id: r.id, url: r.url })));
    await walk(
      "/follows",
      "section[aria-labelledby=following-title] li > a",
      "nav[aria-label='More accounts followed']",
      followed.map((f) => f.url),
    );

    const followerRows = await queryRows<{ id: number; created_at: number; url: string }>(
      instance.database,
      "SELECT r.id, f.created_at, r.url FROM followers f JOIN remote_actors r ON r.id = f.remote_actor_id WHERE f.actor_id = ?",
      [alice.id],
    );
    const followers = newestFirst(followerRows.map((r) => ({ at: Number(r.created_at), id: Number(r.id), url: r.url })));
    await walk(
      "/follows",
      "section[aria-labelledby=followers-title] li > a",
      "nav[aria-label='More followers']",
      followers.map((f) => f.url),
    );
  });

  it("reads a malformed position as the first page", async () => {
    const first = await read("/?before=nonsense", ".post-list a[href^='/posts/']", "nav.paging");
    expect(first.items[0]).toBe(posts[0]!.path);
    const alsoFirst = await read(
      "/follows?followers-before=12:abc",
      "section[aria-labelledby=followers-title] li > a",
      "nav[aria-label='More followers']",
    );
    expect(alsoFirst.items).toHaveLength(50);
  });
});
