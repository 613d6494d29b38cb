import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeUser } from "../../helpers/fake-mastodon.ts";
import { eventually } from "../../helpers/instance.ts";
import { announce, follow, like, startInboxWorld, undo, type InboxWorld } from "./setup.ts";

/** federation/inbox/undo.ts: taking back a Follow, a Like or a boost; only one's own. */
describe("inbox: Undo", () => {
  let world: InboxWorld;
  let mira: FakeUser;
  let otto: FakeUser;

  const followers = async () => (await world.connexo.store.follows.followers(world.team.id, null, 100)).items.map((f) => f.uri);
  const reactors = (kind: "like" | "announce") => world.connexo.store.interactions.reactors(world.weeknote.id, kind);
  /** Sends an activity and waits until its effect shows. */
  const done = async (activity: Record<string, unknown>, from: FakeUser, check: () => Promise<boolean>) => {
    await world.send(activity, from);
    await eventually(check, 15_000, `${String(activity.type)} ${String(activity.id)} to take effect`);
  };

  beforeAll(async () => {
    world = await startInboxWorld(["mira", "otto"]);
    mira = world.mastodon.user("mira");
    otto = world.mastodon.user("otto");
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("removes a follower who undoes their Follow", async () => {
    const followed = follow(mira, world.teamUri);
    await done(followed, mira, async () => (await followers()).includes(mira.id));
    await done(undo(mira, followed), mira, async () => !(await followers()).includes(mira.id));
  });

  it("removes a Like and a boost that are undone", async () => {
    const liked = like(mira, world.weeknote.url);
    const boosted = announce(mira, world.weeknote.url);
    await done(liked, mira, async () => (await reactors("like")).includes(mira.id));
    await done(boosted, mira, async () => (await reactors("announce")).includes(mira.id));

    await done(undo(mira, liked), mira, async () => !(await reactors("like")).includes(mira.id));
    expect(await reactors("announce")).toContain(mira.id);
    await done(undo(mira, boosted), mira, async () => !(await reactors("announce")).includes(mira.id));
  });

  it("ignores an Undo of someone else's Follow, Like or boost", async () => {
    const followed = follow(mira, world.teamUri);
    const liked = like(mira, world.weeknote.url);
    const boosted = announce(mira, world.weeknote.url);
    await done(followed, mira, async () => (await followers()).includes(mira.id));
    await done(liked, mira, async () => (await reactors("like")).includes(mira.id));
    await done(boosted, mira, async () => (await reactors("announce")).includes(mira.id));
    // Otto follows and likes too, so he is known here, and his signature is good: only the objects are mira's.
    await done(follow(otto, world.teamUri), otto, async () => (await followers()).includes(otto.id));
    await done(like(otto, world.weeknote.url), otto, async () => (await reactors("like")).includes(otto.id));

    for (const object of [followed, liked, boosted]) await world.send(undo(otto, object), otto);
    await world.settled();
    expect(await followers()).toEqual(expect.arrayContaining([mira.id, otto.id]));
    expect(await reactors("like")).toEqual(expect.arrayContaining([mira.id, otto.id]));
    expect(await reactors("announce")).toContain(mira.id);
  });

  it("ignores an Undo of a Like that was never counted", async () => {
    const before = await world.connexo.store.interactions.countReactions(world.weeknote.id);
    expect(before.likes).toBeGreaterThan(0);
    // Otto takes back a Like of his that never arrived (his counted one has another id).
    await world.send(undo(otto, like(otto, world.weeknote.url)), otto);
    await world.settled();
    expect(await world.connexo.store.interactions.countReactions(world.weeknote.id)).toEqual(before);
    expect(await reactors("like")).toContain(otto.id);
  });

  it("ignores an Undo whose object is not a Follow, Like or Announce", async () => {
    const before = { followers: await followers(), likes: await reactors("like") };
    expect(before.followers).toContain(mira.id);
    // Undo of a Block, and an Undo naming mira's Like only by an id that does not dereference to it.
    await world.send(undo(mira, { id: `${mira.id}#blocks/1`, type: "Block", actor: mira.id, object: world.teamUri }), mira);
    await world.send(undo(mira, `${mira.id}#likes/unknown`), mira);
    await world.settled();
    expect(await followers()).toEqual(before.followers);
    expect(await reactors("like")).toEqual(before.likes);
  });

  it("ignores an Undo of a Follow of an actor that is not ours", async () => {
    const before = await followers();
    expect(before).toContain(mira.id);
    await world.send(undo(mira, follow(mira, otto.id)), mira);
    await world.send(undo(mira, follow(mira, `${world.connexo.origin}/@nobody`)), mira);
    await world.settled();
    expect(await followers()).toEqual(before);
  });
});
