import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeUser } from "../../helpers/fake-mastodon.ts";
import { eventually } from "../../helpers/instance.ts";
import { accept, reject, requestFollow, startInboxWorld, type InboxWorld } from "./setup.ts";

/** federation/inbox/answers.ts: Accept and Reject of the Follows we send. */
describe("inbox: Accept and Reject", () => {
  let world: InboxWorld;
  let otto: FakeUser;
  /** Alice's pending follows of otto and quinn, which the ignored answers must leave pending. */
  let pending: {
    otto: { followingId: string; activity: Record<string, unknown> };
    quinn: { followingId: string; activity: Record<string, unknown> };
  };

  const stateOf = async (followingId: string) => (await world.connexo.store.follows.findFollowing(followingId))?.state;
  const becomes = (followingId: string, state: string) =>
    eventually(async () => (await stateOf(followingId)) === state, 15_000, `the following to be ${state}`);
  const stillPending = async () => {
    expect(await stateOf(pending.otto.followingId)).toBe("pending");
    expect(await stateOf(pending.quinn.followingId)).toBe("pending");
    expect(await world.connexo.store.follows.isFollowedLocally(otto.id)).toBe(false);
  };

  beforeAll(async () => {
    world = await startInboxWorld(["mira", "pia", "rex", "tess", "milo", "otto", "quinn"]);
    otto = world.mastodon.user("otto");
    pending = {
      otto: await requestFollow(world, otto),
      quinn: await requestFollow(world, world.mastodon.user("quinn")),
    };
    await becomes(pending.otto.followingId, "pending");
    await becomes(pending.quinn.followingId, "pending");
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("marks our Follow accepted when Mastodon accepts it, embedding the Follow", async () => {
    const mira = world.mastodon.user("mira");
    const { followingId, activity } = await requestFollow(world, mira);
    expect(await stateOf(followingId)).toBe("pending");
    await world.send(accept(mira, activity), mira, `${world.connexo.origin}/@alice/inbox`);
    await becomes(followingId, "accepted");
    const following = await world.connexo.store.follows.following(world.alice.id, null, 50);
    expect(following.items.map((a) => a.uri)).toContain(mira.id);
  });

  it("takes an Accept that names our Follow only by its id", async () => {
    const pia = world.mastodon.user("pia");
    const { followingId, activity } = await requestFollow(world, pia);
    await world.send(accept(pia, String(activity.id)), pia);
    await becomes(followingId, "accepted");
  });

  it("marks our Follow rejected on Reject", async () => {
    const rex = world.mastodon.user("rex");
    const { followingId, activity } = await requestFollow(world, rex);
    await world.send(reject(rex, activity), rex);
    await becomes(followingId, "rejected");
    expect(await world.connexo.store.follows.isFollowedLocally(rex.id)).toBe(false);
  });

  it("ends an accepted follow on a later Reject (Mastodon removing a follower)", async () => {
    const tess = world.mastodon.user("tess");
    const { followingId, activity } = await requestFollow(world, tess);
    await world.send(accept(tess, activity), tess);
    await becomes(followingId, "accepted");
    await world.send(reject(tess, activity), tess);
    await becomes(followingId, "rejected");
  });

  it("ignores an Accept of a Follow we did not send", async () => {
    // @team never asked to follow otto; the Follow otto "accepts" is made up.
    const madeUp = { id: `${world.connexo.origin}/activities/follow-made-up`, type: "Follow", actor: world.teamUri, object: otto.id };
    await world.send(accept(otto, madeUp), otto);
    await world.settled();
    expect(await world.connexo.store.follows.countFollowing(world.team.id)).toBe(0);
    await stillPending();
  });

  it("ignores an Accept of a Follow addressed to someone else", async () => {
    // Otto accepts alice's Follow of quinn: only quinn may answer it.
    await world.send(accept(otto, pending.quinn.activity), otto);
    await world.settled();
    await stillPending();
  });

  it("ignores an Accept of a Follow by someone who is not here", async () => {
    const byRemote = { id: `${world.mastodon.origin}/follows/1`, type: "Follow", actor: world.mastodon.user("mira").id, object: otto.id };
    const byNobody = {
      id: `${world.connexo.origin}/activities/follow-nobody`,
      type: "Follow",
      actor: `${world.connexo.origin}/@nobody`,
      object: otto.id,
    };
    await world.send(accept(otto, byRemote), otto);
    await world.send(accept(otto, byNobody), otto);
    await world.settled();
    await stillPending();
  });

  it("ignores an answer whose object is not a Follow", async () => {
    await world.send(accept(otto, { id: `${otto.id}#likes/1`, type: "Like", actor: world.aliceUri, object: otto.id }), otto);
    await world.settled();
    await stillPending();
  });

  it("ignores a Reject of a Follow addressed to someone else", async () => {
    const milo = world.mastodon.user("milo");
    const { followingId, activity } = await requestFollow(world, milo);
    await world.send(accept(milo, activity), milo);
    await becomes(followingId, "accepted");
    // Otto rejects alice's Follow of milo: nothing changes.
    await world.send(reject(otto, activity), otto);
    await world.settled();
    expect(await stateOf(followingId)).toBe("accepted");
    await stillPending();
  });
});
