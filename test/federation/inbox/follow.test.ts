import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliver, verifyWithPublishedKey, type FakeUser } from "../../helpers/fake-mastodon.ts";
import { eventually } from "../../helpers/instance.ts";
import { follow, objectIdOf, received, startInboxWorld, type InboxWorld } from "./setup.ts";

/** federation/inbox/follow.ts: a Follow of a local person or community. */
describe("inbox: Follow", () => {
  let world: InboxWorld;
  let mira: FakeUser;

  const followersOf = async (handle: string) => {
    const actor = (await world.connexo.services.actors.find(handle))!;
    return (await world.connexo.store.follows.followers(actor.id, null, 100)).items.map((f) => f.uri);
  };
  /** The Accepts and Rejects the fake server received for a Follow. */
  const answersTo = (followId: unknown) =>
    received(world.mastodon).filter((a) => (a.type === "Accept" || a.type === "Reject") && objectIdOf(a) === followId);

  beforeAll(async () => {
    world = await startInboxWorld(["mira", "otto", "dora", "bert", "sam", "nils", "vera"]);
    mira = world.mastodon.user("mira");
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("records a Follow of a community and answers with a signed Accept", async () => {
    const activity = follow(mira, world.teamUri);
    await world.send(activity, mira, world.teamInbox);
    await eventually(async () => (await followersOf("team")).includes(mira.id), 15_000, "mira among the followers");

    const accepted = await eventually(
      () =>
        world.mastodon.signedPosts().find((p) => {
          const a = JSON.parse(p.body) as Record<string, unknown>;
          return p.status === 202 && a.type === "Accept" && objectIdOf(a) === activity.id;
        }),
      15_000,
      "the Accept",
    );
    expect(accepted.path).toBe("/users/mira/inbox");
    const body = JSON.parse(accepted.body) as Record<string, unknown>;
    expect(body).toMatchObject({ type: "Accept", actor: world.teamUri });
    // The Follow it answers, by reference, as Mastodon answers: not the follower's whole document, fetched to check it.
    expect(body.object).toEqual({ id: activity.id, type: "Follow", actor: mira.id, object: world.teamUri });
    expect(await verifyWithPublishedKey(accepted)).toMatchObject({ ok: true, owner: world.teamUri });
    // An answer for the follower alone, never passed on: the request is signed, the activity carries no
    // Linked Data signature or proof for third parties to check.
    expect(body).not.toHaveProperty("signature");
    expect(body).not.toHaveProperty("proof");
  });

  it("records a Follow of a person, sent to the shared inbox", async () => {
    const otto = world.mastodon.user("otto");
    const activity = follow(otto, world.aliceUri);
    await world.send(activity, otto);
    await eventually(async () => (await followersOf("alice")).includes(otto.id), 15_000, "otto following alice");
    const answer = await eventually(() => answersTo(activity.id)[0], 15_000, "the Accept");
    expect(answer).toMatchObject({ type: "Accept", actor: world.aliceUri });
    // The follower's profile is kept, as the fake server serves it.
    expect(await world.connexo.store.remoteActors.findByUri(otto.id)).toMatchObject({ name: "Otto Mastodon", inbox: otto.inbox });
  });

  it("counts the same follower once, however often they follow", async () => {
    const dora = world.mastodon.user("dora");
    const before = await followersOf("team");
    const activity = follow(dora, world.teamUri);
    // The same Follow at two inboxes (Fedify drops the repeat), then a new Follow with an id of its own.
    await world.send(activity, dora, world.teamInbox);
    await world.send(activity, dora, world.sharedInbox);
    await world.send(follow(dora, world.teamUri), dora, world.teamInbox);
    await world.settled();
    const after = await followersOf("team");
    expect(after.filter((uri) => uri === dora.id)).toHaveLength(1);
    expect(after).toHaveLength(before.length + 1);
  });

  it("refuses a blocked account's Follow with 403 before fetching its key, recording nothing", async () => {
    const bert = world.mastodon.user("bert");
    await world.connexo.services.accountBlocks.block("command line", bert.id, "Harassment.");
    const getsBefore = [...world.mastodon.gets];
    const activity = follow(bert, world.teamUri);
    expect((await deliver(world.teamInbox, activity, bert)).status).toBe(403);
    expect(world.mastodon.gets).toEqual(getsBefore);
    await world.settled();
    expect(answersTo(activity.id)).toEqual([]);
    expect(await followersOf("team")).not.toContain(bert.id);
    expect(await world.connexo.store.remoteActors.findByUri(bert.id)).toBeNull();
  });

  it("ignores a Follow of something that is not a local actor", async () => {
    const sam = world.mastodon.user("sam");
    const targets = [
      world.mastodon.user("otto").id, // someone on the follower's own server
      world.weeknote.url, // ours, but a post
      `${world.connexo.origin}/tags/consultation`,
    ];
    const sent = targets.map((target) => follow(sam, target));
    for (const activity of sent) await world.send(activity, sam);
    await world.settled();
    for (const activity of sent) expect(answersTo(activity.id)).toEqual([]);
    expect(await followersOf("team")).not.toContain(sam.id);
    expect(await followersOf("alice")).not.toContain(sam.id);
    expect(await world.connexo.store.remoteActors.findByUri(sam.id)).toBeNull();
  });

  it("ignores a Follow of a handle nobody has here", async () => {
    const nils = world.mastodon.user("nils");
    const activity = follow(nils, `${world.connexo.origin}/@nobody`);
    await world.send(activity, nils);
    await world.settled();
    expect(answersTo(activity.id)).toEqual([]);
    expect(await world.connexo.store.remoteActors.findByUri(nils.id)).toBeNull();
  });

  it("ignores a Follow of a deactivated person", async () => {
    const { store } = world.connexo;
    const { actors } = world.connexo.services;
    const carol = await actors.createPerson({ handle: "carol", displayName: "Carol", password: "a long enough password" });
    await store.transaction(async (tx) => {
      await tx.accounts.deactivate(carol.id, new Date());
      await tx.accounts.endSessions(carol.id);
    });
    const vera = world.mastodon.user("vera");
    const activity = follow(vera, `${world.connexo.origin}/@carol`);
    await world.send(activity, vera);
    await world.settled();
    expect(answersTo(activity.id)).toEqual([]);
    expect(await store.follows.countFollowers(carol.id)).toBe(0);
  });
});
