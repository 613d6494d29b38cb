import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

/** A blocked actor's Follow is answered with Reject and records nothing. */
describe("blocked actors", () => {
  let a: RunningInstance;
  let b: RunningInstance;

  beforeAll(async () => {
    [a, b] = await Promise.all([startInstance(), startInstance()]);
    await seedCommunity(a, { person: "alice", community: "team" });
    await seedCommunity(b, { person: "bob", community: "unit" });
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("rejects the follow of a blocked actor", async () => {
    await a.services.follows.blockActor(`${b.origin}/@bob`);
    const following = await b.services.follows.requestFollow("bob", `${a.origin}/@team`);
    const rejected = await eventually(
      async () => {
        const f = await b.store.follows.findFollowing(following.id);
        return f?.state === "rejected" ? f : null;
      },
      15_000,
      "the Reject",
    );
    expect(rejected.remoteActor?.uri).toBe(`${a.origin}/@team`);
    const team = (await a.services.actors.find("team"))!;
    expect(await a.store.follows.countFollowers(team.id)).toBe(0);
  });

  it("ends a follow when its actor is blocked, and a new Follow from it makes it no follower again", async () => {
    const [a2, b2] = await Promise.all([startInstance(), startInstance()]);
    try {
      await seedCommunity(a2, { person: "alice", community: "team" });
      await seedCommunity(b2, { person: "carol", community: "unit" });
      const team = (await a2.services.actors.find("team"))!;
      const first = await b2.services.follows.requestFollow("carol", `${a2.origin}/@team`);
      await eventually(async () => (await b2.store.follows.findFollowing(first.id))?.state === "accepted", 15_000, "the Accept");
      expect(await a2.store.follows.countFollowers(team.id)).toBe(1);

      expect(await a2.services.follows.blockActor(`${b2.origin}/@carol`)).toBe(1);
      expect(await a2.store.follows.countFollowers(team.id)).toBe(0);

      const again = await b2.services.follows.requestFollow("carol", `${a2.origin}/@team`);
      await eventually(async () => (await b2.store.follows.findFollowing(again.id))?.state === "rejected", 15_000, "the Reject");
      expect(await a2.store.follows.countFollowers(team.id)).toBe(0);
    } finally {
      await Promise.all([a2.stop(), b2.stop()]);
    }
  });

  it("refuses to block something that is not an actor URL", async () => {
    await expect(a.services.follows.blockActor("not a url")).rejects.toThrow("actor to block");
  });
});
