import { afterAll, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** How other servers find us: WebFinger, NodeInfo and the actors' collections. */
describe("discovery", () => {
  let instance: RunningInstance;
  let host: string;
  const get = (path: string, accept = "application/activity+json") =>
    instance.app.request(new URL(path, instance.origin).href, { headers: { accept } });
  const getJson = async (path: string, accept?: string) => {
    const res = await get(path, accept);
    expect(res.status, path).toBe(200);
    return (await res.json()) as Record<string, any>;
  };

  beforeAll(async () => {
    instance = await startInstance({ CONNEXO_INSTANCE_NAME: "Digital Team" }, { serve: false, worker: false });
    host = new URL(instance.origin).host;
    await seedCommunity(instance, { person: "alice", community: "team" });
    const alice = (await instance.services.actors.find("alice"))!;
    const team = (await instance.services.actors.find("team"))!;
    // 52 weeknotes: more than one page of 50.
    for (let i = 0; i < 52; i++) {
      await instance.services.weeknotes.publish("team", alice, { title: `Note ${i}`, summary: "S.", body: "B." });
    }
    await instance.services.weeknotes.publish("team", alice, { title: "Draft", summary: "S.", body: "B." }, { draft: true });
    for (const name of ["ann", "ben", "cat"]) {
      const remote = await instance.store.remoteActors.upsert({
        uri: `https://remote.example/users/${name}`,
        type: "Person",
        handle: `@${name}@remote.example`,
        name,
        url: null,
        iconUrl: null,
        inbox: `https://remote.example/users/${name}/inbox`,
        sharedInbox: "https://remote.example/inbox",
      });
      await instance.store.follows.addFollower(team.id, remote.id, `https://remote.example/follows/${name}`);
    }
  });
  afterAll(async () => {
    await instance?.stop();
  });

  describe("WebFinger", () => {
    it("resolves acct:team@host to the actor", async () => {
      const res = await get(`/.well-known/webfinger?resource=acct:team@${host}`, "application/jrd+json");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/application\/jrd\+json/);
      const jrd = (await res.json()) as { subject: string; aliases: string[]; links: { rel: string; type?: string; href?: string }[] };
      expect(jrd.subject).toBe(`acct:team@${host}`);
      expect(jrd.aliases).toContain(`${instance.origin}/@team`);
      expect(jrd.links).toContainEqual(
        expect.objectContaining({ rel: "self", type: "application/activity+json", href: `${instance.origin}/@team` }),
      );
    });

    it("resolves the actor's URL and a handle written in capitals", async () => {
      const byUrl = await getJson(`/.well-known/webfinger?resource=${encodeURIComponent(`${instance.origin}/@alice`)}`);
      expect(byUrl.subject).toBe(`${instance.origin}/@alice`);
      expect(byUrl.aliases).toContain(`acct:alice@${host}`);
      const upper = await getJson(`/.well-known/webfinger?resource=acct:Alice@${host}`);
      expect(upper.links).toContainEqual(expect.objectContaining({ rel: "self", href: `${instance.origin}/@alice` }));
    });

    it.each([
      ["an unknown handle", `acct:nobody@HOST`],
      ["another host", "acct:team@elsewhere.example"],
      ["an unknown URL", "https://elsewhere.example/@team"],
    ])("answers 404 for %s", async (_what, resource) => {
      const res = await get(`/.well-known/webfinger?resource=${encodeURIComponent(resource.replace("HOST", host))}`);
      expect(res.status).toBe(404);
    });

    it("answers 400 without a resource", async () => {
      expect((await get("/.well-known/webfinger")).status).toBe(400);
    });
  });

  describe("NodeInfo", () => {
    it("points to NodeInfo 2.1 from /.well-known/nodeinfo", async () => {
      const jrd = await getJson("/.well-known/nodeinfo", "application/json");
      expect(jrd.links).toContainEqual(
        expect.objectContaining({ rel: "http://nodeinfo.diaspora.software/ns/schema/2.1", href: `${instance.origin}/nodeinfo/2.1` }),
      );
    });

    it("describes the software at /nodeinfo/2.1", async () => {
      const nodeinfo = await getJson("/nodeinfo/2.1", "application/json");
      expect(nodeinfo).toMatchObject({
        version: "2.1",
        software: { name: "connexo", version: packageJson.version },
        protocols: ["activitypub"],
        openRegistrations: false,
        usage: { users: { total: 1 } },
        metadata: { nodeName: "Digital Team" },
      });
    });
  });

  describe("collections", () => {
    it("pages a community's outbox of Announces, with totalItems", async () => {
      const outbox = await getJson("/@team/outbox");
      expect(outbox).toMatchObject({ id: `${instance.origin}/@team/outbox`, type: "OrderedCollection", totalItems: 52 });
      const first = await getJson(outbox.first);
      expect(first.type).toBe("OrderedCollectionPage");
      expect(first.partOf).toBe(outbox.id);
      expect(first.orderedItems).toHaveLength(50);
      expect(first.orderedItems[0]).toMatchObject({ type: "Announce", actor: `${instance.origin}/@team` });
      expect(typeof first.next).toBe("string");
      const second = await getJson(first.next);
      expect(second.orderedItems).toHaveLength(2);
      expect(second.next).toBeUndefined();
      // Every weeknote once across the pages (many share a millisecond), newest first, no draft.
      const items = [...first.orderedItems, ...second.orderedItems];
      const names = items.map((a: any) => a.object.name as string);
      expect(new Set(names).size).toBe(52);
      expect(names).not.toContain("Draft");
      const times = items.map((a: any) => Date.parse(a.object.published));
      expect(times).toEqual([...times].sort((x, y) => y - x));
    });

    it("shows a person's posts in their outbox as Creates", async () => {
      const outbox = await getJson("/@alice/outbox");
      expect(outbox.totalItems).toBe(52);
      const first = await getJson(outbox.first);
      expect(first.orderedItems[0]).toMatchObject({ type: "Create", actor: `${instance.origin}/@alice` });
      expect(first.orderedItems[0].object.type).toBe("Article");
    });

    it("lists followers with totalItems", async () => {
      const followers = await getJson("/@team/followers");
      expect(followers).toMatchObject({ id: `${instance.origin}/@team/followers`, totalItems: 3 });
      const page = followers.first ? await getJson(followers.first) : followers;
      expect(asArray(page.orderedItems ?? page.items).sort()).toEqual(
        ["ann", "ben", "cat"].map((n) => `https://remote.example/users/${n}`),
      );
      const empty = await getJson("/@alice/followers");
      expect(empty.totalItems).toBe(0);
    });

    it("counts following", async () => {
      const following = await getJson("/@team/following");
      expect(following).toMatchObject({ id: `${instance.origin}/@team/following`, totalItems: 0 });
    });

    it("answers 404 for a page of an unknown actor's collections", async () => {
      for (const name of ["outbox", "followers", "following"]) {
        expect((await get(`/@nobody/${name}?cursor=`)).status, name).toBe(404);
      }
    });

    // KNOWN BUG (federation/dispatchers/collections.ts): setFirstCursor(() => "") always gives a
    // first cursor, so Fedify builds the collection without asking whether the actor exists and
    // answers 200 with an empty OrderedCollection. Remove `.fails` once fixed.
    it("answers 404 for the collections of an unknown actor", async () => {
      for (const name of ["outbox", "followers", "following"]) {
        expect((await get(`/@nobody/${name}`)).status, name).toBe(404);
      }
    });
  });
});
