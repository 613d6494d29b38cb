import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeUser } from "../../helpers/fake-mastodon.ts";
import { eventually } from "../../helpers/instance.ts";
import { create, note, startInboxWorld, type InboxWorld } from "./setup.ts";

/**
 * federation/inbox/create.ts: a reply to one of our posts (or to a reply we
 * hold) is kept as a reply; any other post only if someone here follows its author.
 */
describe("inbox: Create", () => {
  let world: InboxWorld;
  let mira: FakeUser;
  /** Followed by alice. */
  let otto: FakeUser;
  /** Followed by nobody here. */
  let sid: FakeUser;

  const interactions = () => world.connexo.store.interactions;
  const replyAt = (uri: unknown) => interactions().findReplyByUri(String(uri));
  const remotePostAt = (uri: unknown) => interactions().findRemotePost(String(uri));
  /** Nothing at all kept of this object. */
  const keptNothingOf = async (object: Record<string, unknown>) => {
    expect(await replyAt(object.id)).toBeNull();
    expect(await remotePostAt(object.id)).toBeNull();
  };

  beforeAll(async () => {
    world = await startInboxWorld(["mira", "otto", "sid", "fern"], { elsewhere: ["mira"] });
    mira = world.mastodon.user("mira");
    otto = world.mastodon.user("otto");
    sid = world.mastodon.user("sid");
    await world.followFake(otto);
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("keeps a reply to a weeknote, sanitised, and shows it on the weeknote's page", async () => {
    const reply = note(mira, { inReplyTo: world.weeknote.url, content: `<p>When is the summary out?</p><script>alert(1)</script>` });
    await world.send(create(mira, reply), mira, world.teamInbox);
    const kept = await eventually(() => replyAt(reply.id), 15_000, "the reply");
    expect(kept).toMatchObject({ postId: world.weeknote.id, inReplyTo: world.weeknote.url, author: { uri: mira.id } });
    expect(kept.contentHtml).toContain("When is the summary out?");
    expect(kept.contentHtml).not.toContain("script");
    const page = await (await world.connexo.app.request(world.weeknote.url)).text();
    expect(page).toContain("When is the summary out?");
  });

  it("keeps a reply to a decision record", async () => {
    const decision = await world.connexo.services.decisions.propose("team", world.alice, {
      title: "Meet fortnightly",
      question: "Should we meet every two weeks?",
      context: "Weekly is a lot.",
    });
    const url = `${world.connexo.origin}/decisions/${decision.post.id}`;
    const reply = note(mira, { inReplyTo: url, content: "<p>Yes, please.</p>" });
    await world.send(create(mira, reply), mira);
    const kept = await eventually(() => replyAt(reply.id), 15_000, "the reply to the record");
    expect(kept).toMatchObject({ postId: decision.post.id, inReplyTo: url });
  });

  it("keeps a reply to a reply we hold, under the same weeknote", async () => {
    const first = note(mira, { inReplyTo: world.weeknote.url });
    await world.send(create(mira, first), mira);
    await eventually(() => replyAt(first.id), 15_000, "the first reply");
    const second = note(sid, { inReplyTo: first.id, content: "<p>Next week, I think.</p>" });
    await world.send(create(sid, second), sid);
    const kept = await eventually(() => replyAt(second.id), 15_000, "the reply to the reply");
    expect(kept).toMatchObject({ postId: world.weeknote.id, inReplyTo: first.id, author: { uri: sid.id } });
  });

  it("keeps a reply delivered twice once", async () => {
    const before = await interactions().countReplies(world.weeknote.id);
    const reply = note(mira, { inReplyTo: world.weeknote.url });
    const activity = create(mira, reply);
    // The same Create at two inboxes (Fedify drops the repeat), then the same Note in a Create with an id of its own.
    await world.send(activity, mira, world.teamInbox);
    await world.send(activity, mira, world.sharedInbox);
    await world.send(create(mira, reply, `${String(reply.id)}/activity-again`), mira);
    await world.settled();
    expect(await replyAt(reply.id)).not.toBeNull();
    expect(await interactions().countReplies(world.weeknote.id)).toBe(before + 1);
  });

  it("keeps a post by someone followed here, for the network view", async () => {
    const post = note(otto, { content: "<p>Our own weeknote, over here.</p>" });
    await world.send(create(otto, post), otto);
    const kept = await eventually(() => remotePostAt(post.id), 15_000, "the post");
    expect(kept).toMatchObject({ type: "Note", author: { uri: otto.id }, announcedBy: null, inReplyTo: null });
    expect((await interactions().timeline(world.alice.id, 50)).map((p) => p.uri)).toContain(post.id);
    expect(await replyAt(post.id)).toBeNull();
  });

  it("keeps a followed author's reply to a post elsewhere as a post, not as a reply", async () => {
    const post = note(otto, { inReplyTo: `${world.mastodon.origin}/users/sid/statuses/1` });
    await world.send(create(otto, post), otto);
    const kept = await eventually(() => remotePostAt(post.id), 15_000, "the post");
    expect(kept.inReplyTo).toBe(`${world.mastodon.origin}/users/sid/statuses/1`);
    expect(await replyAt(post.id)).toBeNull();
  });

  it("ignores a post, or a reply to a post elsewhere, by someone nobody here follows", async () => {
    const post = note(sid);
    const reply = note(sid, { inReplyTo: `${world.mastodon.origin}/users/otto/statuses/1` });
    const article = note(sid, { type: "Article", name: "A record, perhaps" });
    for (const object of [post, reply, article]) await world.send(create(sid, object), sid);
    await world.settled();
    for (const object of [post, reply, article]) await keptNothingOf(object);
    // An Article is read afresh from its server only for someone followed here.
    expect(world.mastodon.gets).not.toContain(new URL(String(article.id)).pathname);
  });

  it("ignores a reply to a local post that does not exist or is not published", async () => {
    const fern = world.mastodon.user("fern");
    const draft = await world.connexo.services.weeknotes.publish(
      "team",
      world.alice,
      { title: "Not yet", summary: "A draft.", body: "Draft." },
      { draft: true },
    );
    const gone = await world.connexo.services.weeknotes.publish("team", world.alice, {
      title: "Gone",
      summary: "Deleted.",
      body: "Soon gone.",
    });
    await world.connexo.services.weeknotes.delete(gone.id, world.alice);
    const replies = [randomUUID(), draft.id, gone.id].map((id) => note(fern, { inReplyTo: `${world.connexo.origin}/posts/${id}` }));
    for (const reply of replies) await world.send(create(fern, reply), fern);
    await world.settled();
    for (const reply of replies) await keptNothingOf(reply);
    // Nothing was kept of the author either.
    expect(await world.connexo.store.remoteActors.findByUri(fern.id)).toBeNull();
  });

  it("ignores a Note whose author is on another host than the actor", async () => {
    const forged = note(mira, { inReplyTo: world.weeknote.url, attributedTo: world.elsewhere!.user("mira").id });
    const followedForged = note(otto, { attributedTo: world.elsewhere!.user("mira").id });
    await world.send(create(mira, forged), mira);
    await world.send(create(otto, followedForged), otto);
    await world.settled();
    await keptNothingOf(forged);
    await keptNothingOf(followedForged);
  });

  it("ignores a Create of something that is not a Note or an Article", async () => {
    const question = note(mira, { type: "Question", inReplyTo: world.weeknote.url, oneOf: [{ type: "Note", name: "Yes" }] });
    const image = note(otto, { type: "Image" });
    await world.send(create(mira, question), mira);
    await world.send(create(otto, image), otto);
    await world.settled();
    await keptNothingOf(question);
    await keptNothingOf(image);
  });
});
