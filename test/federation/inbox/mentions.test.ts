import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeUser } from "../../helpers/fake-mastodon.ts";
import { eventually } from "../../helpers/instance.ts";
import { create, note, startInboxWorld, type InboxWorld } from "./setup.ts";

/**
 * federation/inbox/create.ts, for notifications: a post from elsewhere that
 * mentions a person here tells them, whoever follows its author; a reply to
 * their post that also mentions them tells them once, as a reply.
 */
describe("inbox: Create, mentioning people here", () => {
  let world: InboxWorld;
  let mira: FakeUser;
  let sid: FakeUser;

  beforeAll(async () => {
    world = await startInboxWorld(["mira", "sid"]);
    mira = world.mastodon.user("mira");
    sid = world.mastodon.user("sid");
  });
  afterAll(async () => {
    await world?.stop();
  });

  const host = () => new URL(world.connexo.origin).host;
  const mentionOf = (href: string, name: string) => ({ type: "Mention", href, name: `@${name}@${host()}` });
  const aliceHears = () => world.connexo.store.notifications.latest(world.alice.id, 50);

  it("tells a person here of a post that mentions them, though no one here follows its author", async () => {
    const post = note(sid, {
      content: "<p>@alice have you seen this?</p>",
      tag: [mentionOf(world.aliceUri, "alice")],
      cc: [world.aliceUri],
    });
    await world.send(create(sid, post), sid);
    const told = await eventually(async () => (await aliceHears()).find((n) => n.source === post.id) ?? null, 15_000, "the mention");
    expect(told).toMatchObject({ kind: "mention", actorUri: sid.id, subjectUri: post.id });
  });

  it("tells the author of a post replied to once, as a reply, when the reply mentions them too", async () => {
    const reply = note(mira, {
      inReplyTo: world.weeknote.url,
      content: "<p>@alice thanks for this</p>",
      tag: [mentionOf(world.aliceUri, "alice"), mentionOf(world.teamUri, "team")],
    });
    await world.send(create(mira, reply), mira);
    const told = await eventually(async () => (await aliceHears()).find((n) => n.source === reply.id) ?? null, 15_000, "the reply");
    await world.settled();
    expect((await aliceHears()).filter((n) => n.source === reply.id).map((n) => n.kind)).toEqual(["reply"]);
    expect(told).toMatchObject({ kind: "reply", postId: world.weeknote.id, actorUri: mira.id });
  });
});
