import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/types.ts";
import { queryRows } from "../helpers/database.ts";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";
const zoe = {
  uri: "https://elsewhere.example/users/zoe",
  type: "Person",
  handle: "@zoe@elsewhere.example",
  name: "Zoë Remote",
  url: "https://elsewhere.example/@zoe",
  iconUrl: null,
  inbox: "https://elsewhere.example/users/zoe/inbox",
  sharedInbox: null,
};
const REMOTE_POST = "https://elsewhere.example/notes/1";

describe("liking and boosting from the web", () => {
  let instance: RunningInstance;
  let alice: Actor;
  let web: WebClient;
  let weeknotePath: string;

  const events = async (type: string) =>
    (await queryRows<{ payload: string }>(instance.database, "SELECT payload FROM queue_messages WHERE queue = 'events'"))
      .map((row) => JSON.parse(row.payload) as Record<string, unknown>)
      .filter((event) => event.type === type);
  const reactions = () =>
    queryRows<{ id: string; object_uri: string; kind: string }>(
      instance.database,
      "SELECT id, object_uri, kind FROM outgoing_reactions ORDER BY created_at",
    );

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    ({ person: alice } = await seedCommunity(instance, { person: "alice", community: "team" }));
    const { store, services } = instance;
    const following = await store.follows.createFollowing({ id: "f-zoe", actorId: alice.id, target: zoe.uri }, []);
    const saved = await store.remoteActors.upsert(zoe);
    await store.follows.resolveFollowing(following.id, saved.id, "accepted");
    await services.interactions.receiveRemotePost(
      {
        uri: REMOTE_POST,
        announcedBy: null,
        type: "Note",
        name: null,
        summary: null,
        contentHtml: "<p>Hello from elsewhere</p>",
        url: "https://elsewhere.example/@zoe/1",
        inReplyTo: null,
        decision: null,
        publishedAt: new Date(),
        updatedAt: null,
      },
      zoe,
    );
    const post = await services.weeknotes.publish("team", alice, { title: "Bins, week 48", summary: "Bins.", body: "Text." });
    weeknotePath = `/posts/${post.id}`;
    web = new WebClient(instance, instance.origin);
    await web.signIn("alice", PASSWORD);
  });
  afterAll(() => instance?.stop());

  it("likes a post in the network view, records the reaction and its event, and comes back", async () => {
    await web.get("/timeline");
    expect(page(web.lastHtml).texts(".reactions button")).toEqual(["Like: A post by Zoë Remote", "Boost: A post by Zoë Remote"]);
    const res = await web.post("/reactions", { object: REMOTE_POST, action: "like", back: "/timeline" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/timeline?done=liked");
    const [like] = await reactions();
    expect(like).toMatchObject({ object_uri: REMOTE_POST, kind: "like" });
    expect(await events("reaction.sent")).toContainEqual({ type: "reaction.sent", reactionId: like!.id });

    await web.get("/timeline?done=liked");
    const after = page(web.lastHtml);
    expect(after.text(".notice")).toContain("You liked the post.");
    expect(after.texts(".reactions button")[0]).toMatch(/^Undo like/);
  });

  it("takes a like back with an Undo of the same activity", async () => {
    const [like] = await reactions();
    await web.get("/timeline");
    const res = await web.post("/reactions", { object: REMOTE_POST, action: "unlike", back: "/timeline" });
    expect(res.headers.get("location")).toBe("/timeline?done=unliked");
    expect(await reactions()).toEqual([]);
    expect(await events("reaction.undone")).toContainEqual({
      type: "reaction.undone",
      reactionId: like!.id,
      actorId: alice.id,
      objectUri: REMOTE_POST,
      kind: "like",
    });
  });

  it("boosts a weeknote here from its page, and undoes it", async () => {
    const uri = `${instance.origin}${weeknotePath}`;
    await web.get(weeknotePath);
    expect(page(web.lastHtml).texts(".reactions button")).toEqual(["Like: Bins, week 48", "Boost: Bins, week 48"]);
    const res = await web.post("/reactions", { object: uri, action: "boost", back: weeknotePath });
    expect(res.headers.get("location")).toBe(`${weeknotePath}?done=boosted`);
    const [boost] = await reactions();
    expect(boost).toMatchObject({ object_uri: uri, kind: "announce" });
    expect(await events("reaction.sent")).toContainEqual({ type: "reaction.sent", reactionId: boost!.id });
    await web.get(`${weeknotePath}?done=boosted`);
    expect(page(web.lastHtml).text(".notice")).toContain("You boosted the post");
    expect(page(web.lastHtml).texts(".reactions button")[1]).toBe("Undo boost: Bins, week 48");

    await web.post("/reactions", { object: uri, action: "unboost", back: weeknotePath });
    expect(await events("reaction.undone")).toContainEqual(expect.objectContaining({ reactionId: boost!.id, kind: "announce" }));
    expect(await reactions()).toEqual([]);
  });

  it("refuses to do it twice, to undo what was not done, and an unknown post", async () => {
    await web.get("/timeline");
    expect((await web.post("/reactions", { object: REMOTE_POST, action: "like", back: "/timeline" })).status).toBe(303);
    expect((await web.post("/reactions", { object: REMOTE_POST, action: "like", back: "/timeline" })).status).toBe(409);
    expect((await web.post("/reactions", { object: REMOTE_POST, action: "unboost", back: "/timeline" })).status).toBe(404);
    expect((await web.post("/reactions", { object: "https://elsewhere.example/notes/unknown", action: "like", back: "/" })).status).toBe(
      404,
    );
    expect(
      (
        await web.post("/reactions", {
          object: `${instance.origin}/posts/00000000-0000-0000-0000-000000000000`,
          action: "boost",
          back: "/",
        })
      ).status,
    ).toBe(404);
    expect((await web.post("/reactions", { object: REMOTE_POST, action: "toString", back: "/" })).status).toBe(400);
    await web.post("/reactions", { object: REMOTE_POST, action: "unlike", back: "/timeline" });
  });

  it("goes back only to a page of this site", async () => {
    await web.get("/timeline");
    const res = await web.post("/reactions", { object: REMOTE_POST, action: "like", back: "//evil.example/x" });
    expect(res.headers.get("location")).toBe("/?done=liked");
    await web.post("/reactions", { object: REMOTE_POST, action: "unlike", back: "/timeline" });
    // Paths that a URL parser tidies up into another site's address go home too.
    for (const back of ["/x/..//evil.example", "/.//evil.example", "/%2e%2e//evil.example", "/a/../\\evil.example"]) {
      await web.get("/timeline");
      const tidied = await web.post("/reactions", { object: REMOTE_POST, action: "like", back });
      expect(tidied.headers.get("location"), back).toBe("/?done=liked");
      await web.get("/timeline");
      await web.post("/reactions", { object: REMOTE_POST, action: "unlike", back: "/timeline" });
    }
  });

  it("refuses a form without its token", async () => {
    await web.get("/timeline");
    const res = await web.post("/reactions", { object: REMOTE_POST, action: "like", back: "/timeline", _csrf: "" });
    expect(res.status).toBe(403);
    expect(await reactions()).toEqual([]);
  });

  it("sends signed-out readers to sign in, then back to the page", async () => {
    const reader = new WebClient(instance, instance.origin);
    await reader.get(weeknotePath);
    expect(page(reader.lastHtml).count(".reactions")).toBe(0);
    // A form posted from a page that was open before they signed out carries a token they still hold.
    await reader.get("/sign-in");
    const res = await reader.post("/reactions", { object: `${instance.origin}${weeknotePath}`, action: "like", back: weeknotePath });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/sign-in?next=${weeknotePath}`);
    expect(await reactions()).toEqual([]);
  });
});
