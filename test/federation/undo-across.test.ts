import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

/**
 * Taking things back from the web, across two instances: a person on B
 * likes and boosts a weeknote on A, then undoes both, and stops following
 * A's community; each `Undo` names what was sent, and A forgets it.
 */
describe("undoing likes, boosts and follows across servers", () => {
  let a: RunningInstance;
  let b: RunningInstance;
  let bob: WebClient;

  beforeAll(async () => {
    [a, b] = await Promise.all([startInstance(), startInstance()]);
    await seedCommunity(a, { person: "alice", community: "team" });
    await seedCommunity(b, { person: "bob", community: "unit" });
    bob = new WebClient(b, b.origin);
    await bob.signIn("bob", "a long enough password");
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("likes, boosts, undoes both, and unfollows", async () => {
    await bob.get("/follows");
    expect((await bob.post("/follows", { target: `${a.origin}/@team`, as: "bob" })).status).toBe(303);
    const team = (await a.services.actors.find("team"))!;
    const bobOnB = (await b.services.actors.find("bob"))!;
    await eventually(async () => (await b.store.follows.countFollowing(bobOnB.id)) === 1, 15_000, "the Accept on B");
    expect(await a.store.follows.countFollowers(team.id)).toBe(1);

    const alice = (await a.services.actors.find("alice"))!;
    const weeknote = await a.services.weeknotes.publish("team", alice, { title: "Week 49", summary: "Bins.", body: "Text." });
    const uri = `${a.origin}/posts/${weeknote.id}`;
    await eventually(async () => (await b.services.interactions.timeline(bobOnB)).some((p) => p.uri === uri), 15_000, "the weeknote on B");

    await bob.get("/timeline");
    expect((await bob.post("/reactions", { object: uri, action: "like", back: "/timeline" })).status).toBe(303);
    expect((await bob.post("/reactions", { object: uri, action: "boost", back: "/timeline" })).status).toBe(303);
    const counts = () => a.store.interactions.countReactions(weeknote.id);
    await eventually(async () => (await counts()).likes === 1 && (await counts()).announces === 1, 15_000, "the like and boost on A");

    expect((await bob.post("/reactions", { object: uri, action: "unlike", back: "/timeline" })).status).toBe(303);
    expect((await bob.post("/reactions", { object: uri, action: "unboost", back: "/timeline" })).status).toBe(303);
    await eventually(async () => (await counts()).likes === 0 && (await counts()).announces === 0, 15_000, "the Undos on A");

    await bob.get("/follows");
    const following = (await b.services.follows.followingPage(bobOnB, null)).items[0]!;
    expect((await bob.post("/follows/unfollow", { following: following.id, back: "/follows" })).status).toBe(303);
    await eventually(async () => (await a.store.follows.countFollowers(team.id)) === 0, 15_000, "the Undo of the Follow on A");
  });
});
