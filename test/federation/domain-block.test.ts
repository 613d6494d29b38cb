import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliver, type FakeUser } from "../helpers/fake-mastodon.ts";
import { eventually } from "../helpers/instance.ts";
import { create, follow, note, received, startInboxWorld, type InboxWorld } from "./inbox/setup.ts";

/**
 * A blocked domain: what its servers send is refused before its keys are
 * fetched, its accounts stop following anyone here, and nothing more is
 * delivered there. Unblocking lets it in again.
 */
describe("blocked domains", () => {
  let world: InboxWorld;
  let mira: FakeUser;
  let otto: FakeUser;
  let kim: FakeUser;
  let blockedHost: string;

  const followersOf = async (handle: string) => {
    const actor = (await world.connexo.services.actors.find(handle))!;
    return (await world.connexo.store.follows.followers(actor.id, null, 100)).items.map((f) => f.uri);
  };

  beforeAll(async () => {
    world = await startInboxWorld(["mira", "otto"], { elsewhere: ["kim"] });
    mira = world.mastodon.user("mira");
    otto = world.mastodon.user("otto");
    kim = world.elsewhere!.user("kim");
    blockedHost = new URL(world.mastodon.origin).host;
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("ends the follows of the domain's accounts when it is blocked, and logs the block", async () => {
    await world.send(follow(mira, world.teamUri), mira, world.teamInbox);
    await world.send(follow(kim, world.teamUri), kim, world.teamInbox);
    await eventually(async () => (await followersOf("team")).length === 2, 15_000, "mira and kim following @team");
    await world.settled();

    const admin = world.alice;
    await world.connexo.services.actors.makeAdmin(admin.handle);
    const promoted = (await world.connexo.services.actors.find(admin.handle))!;
    const result = await world.connexo.services.federationPolicy.blockDomain(promoted, `http://${blockedHost}/`, "Testing the block.");
    expect(result).toEqual({ domain: blockedHost, followsEnded: 1 });
    expect(await followersOf("team")).toEqual([kim.id]);
    expect(await world.connexo.services.federationPolicy.isDomainBlocked(blockedHost)).toBe(true);

    const log = await world.connexo.services.moderation.log(promoted, { action: "domain.blocked" });
    expect(log.entries.map((e) => [e.subject, e.reason, e.actorId])).toEqual([[blockedHost, "Testing the block.", promoted.id]]);
  });

  it("refuses a signed activity from the domain with 403, without asking its server for the key, storing nothing", async () => {
    const getsBefore = [...world.mastodon.gets];
    const followed = await deliver(world.teamInbox, follow(otto, world.teamUri), otto);
    expect(followed.status).toBe(403);
    const posted = await deliver(world.sharedInbox, create(otto, note(otto)), otto);
    expect(posted.status).toBe(403);
    // Not even the key (nor the actor) was fetched.
    expect(world.mastodon.gets).toEqual(getsBefore);
    await world.settled();
    expect(await world.connexo.store.remoteActors.findByUri(otto.id)).toBeNull();
    expect(await followersOf("team")).not.toContain(otto.id);
    // Other servers are not affected.
    expect((await deliver(world.sharedInbox, create(kim, note(kim)), kim)).status).toBe(202);
  });

  it("does not deliver there what is published after the block", async () => {
    // A follower on the blocked domain that is still on record is left out of the fan-out too.
    const team = (await world.connexo.services.actors.find("team"))!;
    const remote = (await world.connexo.store.remoteActors.findByUri(mira.id))!;
    await world.connexo.store.follows.addFollower(team.id, remote.id, `${mira.id}#follows/kept`);

    const post = await world.connexo.services.weeknotes.publish("team", world.alice, {
      title: "Week 50: after the block",
      summary: "Only for those we deal with.",
      body: "Not for blocked domains.",
    });
    const mentions = (activity: Record<string, unknown>) => JSON.stringify(activity).includes(post.id);
    await eventually(() => received(world.elsewhere!).some(mentions), 20_000, "kim's server receiving the post");
    await world.settled();
    expect(received(world.mastodon).filter(mentions)).toEqual([]);
  });

  it("lets the domain in again once it is unblocked", async () => {
    await world.connexo.services.federationPolicy.unblockDomain("command line", blockedHost);
    expect(await world.connexo.services.federationPolicy.isDomainBlocked(blockedHost)).toBe(false);
    await world.send(follow(otto, world.teamUri), otto, world.teamInbox);
    await eventually(async () => (await followersOf("team")).includes(otto.id), 15_000, "otto following @team");
  });
});
