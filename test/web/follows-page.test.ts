import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor, RemoteActorInput } from "../../src/domain/types.ts";
import { queryRows } from "../helpers/database.ts";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";
const remote = (name: string): RemoteActorInput => ({
  uri: `https://elsewhere.example/users/${name}`,
  type: "Person",
  handle: `@${name}@elsewhere.example`,
  name: `${name} Remote`,
  url: `https://elsewhere.example/@${name}`,
  iconUrl: null,
  inbox: `https://elsewhere.example/users/${name}/inbox`,
  sharedInbox: null,
});

describe("the follows page", () => {
  let instance: RunningInstance;
  let alice: Actor;
  let team: Actor;
  let web: WebClient;

  const events = async (type: string) =>
    (await queryRows<{ payload: string }>(instance.database, "SELECT payload FROM queue_messages WHERE queue = 'events'"))
      .map((row) => JSON.parse(row.payload) as Record<string, unknown>)
      .filter((event) => event.type === type);
  const followingsOf = (actor: Actor) =>
    queryRows<{ id: string; target: string }>(instance.database, `SELECT id, target FROM followings WHERE actor_id = ${actor.id}`);

  /** An accepted follow of a remote account by a local actor, as if it had been asked for and answered. */
  async function follows(actor: Actor, name: string): Promise<string> {
    const { store } = instance;
    const following = await store.follows.createFollowing(
      { id: `f-${actor.handle}-${name}`, actorId: actor.id, target: remote(name).uri },
      [],
    );
    const saved = await store.remoteActors.upsert(remote(name));
    await store.follows.resolveFollowing(following.id, saved.id, "accepted");
    return following.id;
  }

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    ({ person: alice, community: team } = await seedCommunity(instance, { person: "alice", community: "team" }));
    // Alice is a member of "other", but does not manage it.
    await seedCommunity(instance, { person: "olga", community: "other" });
    await instance.services.actors.addMember("other", "alice", "member");
    const { store } = instance;
    for (const [actor, name] of [
      [alice, "fan"],
      [team, "teamfan"],
    ] as const) {
      const saved = await store.remoteActors.upsert(remote(name));
      await store.follows.addFollower(actor.id, saved.id, `https://elsewhere.example/follows/${name}`);
    }
    web = new WebClient(instance, instance.origin);
    await web.signIn("alice", PASSWORD);
  });
  afterAll(() => instance?.stop());

  it("sends signed-out people to sign in first", async () => {
    const res = await new WebClient(instance, instance.origin).get("/follows?as=team");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/sign-in?next=/follows%3Fas%3Dteam");
  });

  it("lists whom you follow and your followers, and the communities you manage, not the others", async () => {
    await follows(alice, "zoe");
    const res = await web.get("/follows");
    expect(res.status).toBe(200);
    const html = page(web.lastHtml);
    expect(html.text("section[aria-labelledby=following-title]")).toContain("zoe Remote");
    expect(html.text("section[aria-labelledby=followers-title]")).toContain("fan Remote");
    expect(html.texts("nav[aria-label='Whose follows'] a")).toEqual(["Yours", "The team"]);
    expect(html.texts("select[name=as] option")).toEqual(["You", "The team"]);

    await web.get("/follows?as=team");
    const teams = page(web.lastHtml);
    expect(teams.text("h2#followers-title")).toBe("Followers of The team");
    expect(teams.text("section[aria-labelledby=followers-title]")).toContain("teamfan Remote");
    expect(teams.text("section[aria-labelledby=following-title]")).not.toContain("zoe Remote");

    expect((await web.get("/follows?as=other")).status).toBe(403);
  });

  it("follows as yourself", async () => {
    await web.get("/follows");
    const res = await web.post("/follows", { target: "@kim@elsewhere.example", as: "alice" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/follows?done=followed");
    const row = (await followingsOf(alice)).find((f) => f.target === "@kim@elsewhere.example");
    expect(row).toBeDefined();
    expect(await events("follow.requested")).toContainEqual({ type: "follow.requested", followingId: row!.id });
    await web.get("/follows?done=followed");
    const html = page(web.lastHtml);
    expect(html.text(".notice")).toContain("Follow request sent");
    expect(html.text("section[aria-labelledby=following-title]")).toContain("@kim@elsewhere.example");
  });

  it("follows as a community you manage", async () => {
    await web.get("/follows?as=team");
    const res = await web.post("/follows", { target: "https://elsewhere.example/users/lee", as: "team" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/follows?as=team&done=followed");
    const row = (await followingsOf(team)).find((f) => f.target === "https://elsewhere.example/users/lee");
    expect(await events("follow.requested")).toContainEqual({ type: "follow.requested", followingId: row!.id });
  });

  it("refuses what is not an account, keeping the text", async () => {
    await web.get("/follows");
    const res = await web.post("/follows", { target: "not an account", as: "alice" });
    expect(res.status).toBe(400);
    const form = page(web.lastHtml);
    expect(form.value("input[name=target]")).toBe("not an account");
    expect(form.text("#target-error")).toMatch(/^Error: \S/);
  });

  it("refuses to follow as a community you do not manage, or one that does not exist", async () => {
    await web.get("/follows");
    const before = await events("follow.requested");
    expect((await web.post("/follows", { target: "@kim@elsewhere.example", as: "other" })).status).toBe(403);
    expect((await web.post("/follows", { target: "@kim@elsewhere.example", as: "nobody" })).status).toBe(404);
    expect(await events("follow.requested")).toEqual(before);
  });

  it("refuses to follow again someone already followed", async () => {
    await web.get("/follows");
    const res = await web.post("/follows", { target: "@kim@elsewhere.example", as: "alice" });
    expect(res.status).toBe(409);
    expect(page(web.lastHtml).text("#target-error")).toBe("Error: Already followed");
  });

  it("refuses a form without its token", async () => {
    await web.get("/follows");
    expect((await web.post("/follows", { target: "@new@elsewhere.example", as: "alice", _csrf: "" })).status).toBe(403);
    expect((await followingsOf(alice)).map((f) => f.target)).not.toContain("@new@elsewhere.example");
  });

  it("unfollows, recording the Undo of the Follow", async () => {
    const id = await follows(alice, "ann");
    await web.get("/follows");
    const res = await web.post("/follows/unfollow", { following: id, back: "/follows" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/follows?done=unfollowed");
    expect((await followingsOf(alice)).map((f) => f.id)).not.toContain(id);
    expect(await events("follow.undone")).toContainEqual({
      type: "follow.undone",
      followingId: id,
      actorId: alice.id,
      remoteActorUri: remote("ann").uri,
    });
  });

  it("sends no Follow for a follow taken back while it was being looked up", async () => {
    const following = await instance.services.follows.requestFollow("alice", "@late@elsewhere.example");
    await instance.services.follows.unfollow((await instance.services.actors.find("alice"))!, following.id);
    const found = {
      uri: "https://elsewhere.example/users/late",
      type: "Person",
      handle: "@late@elsewhere.example",
      name: "Late",
      url: null,
      iconUrl: null,
      inbox: "https://elsewhere.example/users/late/inbox",
      sharedInbox: null,
    };
    expect(await instance.services.follows.followingResolved(following.id, found)).toBe(false);
    expect(await instance.store.follows.findFollowing(following.id)).toBeNull();
  });

  it("unfollows for a community you manage, and from the network view", async () => {
    const id = await follows(team, "bea");
    await web.get("/timeline");
    const res = await web.post("/follows/unfollow", { following: id, back: "/timeline" });
    expect(res.headers.get("location")).toBe("/timeline?done=unfollowed");
    expect(await events("follow.undone")).toContainEqual(expect.objectContaining({ followingId: id, actorId: team.id }));
  });

  it("shows an unfollow button for each account followed in the network view", async () => {
    const id = await follows(alice, "cat");
    await web.get("/timeline");
    const html = page(web.lastHtml);
    expect(html.attrs("form[action='/follows/unfollow'] input[name=following]", "value")).toContain(id);
  });

  it("refuses to unfollow for a community you do not manage, a follow that is not there, or without the token", async () => {
    const others = (await instance.services.actors.find("other"))!;
    const id = await follows(others, "dan");
    await web.get("/follows");
    expect((await web.post("/follows/unfollow", { following: id, back: "/follows" })).status).toBe(403);
    expect((await web.post("/follows/unfollow", { following: "no-such-follow", back: "/follows" })).status).toBe(404);
    const mine = await follows(alice, "eve");
    expect((await web.post("/follows/unfollow", { following: mine, back: "/follows", _csrf: "" })).status).toBe(403);
    expect((await followingsOf(others)).map((f) => f.id)).toContain(id);
    expect((await followingsOf(alice)).map((f) => f.id)).toContain(mine);
  });
});
