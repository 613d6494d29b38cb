import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeUser } from "../../helpers/fake-mastodon.ts";
import { eventually } from "../../helpers/instance.ts";
import { create, del, follow, like, note, startInboxWorld, type InboxWorld } from "./setup.ts";

/**
 * federation/inbox/delete.ts: an actor deletes one of its replies, one of its
 * posts we keep, or itself; nobody deletes what is someone else's.
 */
describe("inbox: Delete", () => {
  let world: InboxWorld;
  let mira: FakeUser;
  /** Followed by alice. */
  let otto: FakeUser;
  /** On mira's host, but not mira. */
  let lena: FakeUser;
  /** On another host. */
  let eve: FakeUser;

  const interactions = () => world.connexo.store.interactions;
  const replyAt = (uri: unknown) => interactions().findReplyByUri(String(uri));
  const remotePostAt = (uri: unknown) => interactions().findRemotePost(String(uri));
  const remoteActor = (uri: string) => world.connexo.store.remoteActors.findByUri(uri);
  const followers = async () => (await world.connexo.store.follows.followers(world.team.id, null, 100)).items.map((f) => f.uri);
  const timeline = async () => (await interactions().timeline(world.alice.id, 50)).map((p) => p.uri);

  /** A reply to the weeknote by `author`, stored. */
  const replyBy = async (author: FakeUser, content = "<p>A reply.</p>") => {
    const reply = note(author, { inReplyTo: world.weeknote.url, content });
    await world.send(create(author, reply), author);
    await eventually(() => replyAt(reply.id), 15_000, "the reply");
    return reply;
  };
  /** A post by otto for the network view, stored. */
  const postByOtto = async () => {
    const post = note(otto, { content: "<p>A post.</p>" });
    await world.send(create(otto, post), otto);
    await eventually(() => remotePostAt(post.id), 15_000, "the post");
    return post;
  };

  beforeAll(async () => {
    world = await startInboxWorld(["mira", "otto", "lena", "gus"], { elsewhere: ["eve"] });
    mira = world.mastodon.user("mira");
    otto = world.mastodon.user("otto");
    lena = world.mastodon.user("lena");
    eve = world.elsewhere!.user("eve");
    await world.followFake(otto);
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("removes a reply its author deletes, from the store and the page", async () => {
    const reply = await replyBy(mira, "<p>Soon to be deleted.</p>");
    expect(await (await world.connexo.app.request(world.weeknote.url)).text()).toContain("Soon to be deleted.");
    await world.send(del(mira, String(reply.id)), mira);
    await eventually(async () => (await replyAt(reply.id)) === null, 15_000, "the reply gone");
    expect(await (await world.connexo.app.request(world.weeknote.url)).text()).not.toContain("Soon to be deleted.");
  });

  it("ignores a Delete of a reply by anyone but its author", async () => {
    const reply = await replyBy(mira, "<p>Still here.</p>");
    await world.send(del(lena, String(reply.id)), lena);
    // Eve's Delete names mira's reply from another host.
    await world.send(del(eve, String(reply.id), `${String(reply.id)}#delete-by-eve`), eve);
    await world.settled();
    expect((await replyAt(reply.id))?.contentHtml).toContain("Still here.");
  });

  it("marks a post we keep deleted when its author deletes it", async () => {
    const post = await postByOtto();
    expect(await timeline()).toContain(post.id);
    await world.send(del(otto, String(post.id)), otto);
    const deleted = await eventually(
      async () => {
        const p = await remotePostAt(post.id);
        return p?.deletedAt ? p : null;
      },
      15_000,
      "the post deleted",
    );
    expect(deleted.contentHtml).toBe("");
    expect(await timeline()).not.toContain(post.id);
  });

  it("ignores a Delete of a post we keep by anyone but its author", async () => {
    const post = await postByOtto();
    const before = await remotePostAt(post.id);
    await world.send(del(lena, String(post.id)), lena);
    await world.send(del(eve, String(post.id), `${String(post.id)}#delete-by-eve`), eve);
    await world.settled();
    expect(await remotePostAt(post.id)).toEqual(before);
    expect(await timeline()).toContain(post.id);
  });

  it("forgets an actor that deletes itself: its follow and reactions go, its replies stay without it", async () => {
    const gus = world.mastodon.user("gus");
    await world.send(follow(gus, world.teamUri), gus);
    await world.send(like(gus, world.weeknote.url), gus);
    const reply = await replyBy(gus, "<p>Gus was here.</p>");
    await eventually(async () => (await followers()).includes(gus.id), 15_000, "gus following");
    await eventually(async () => (await interactions().reactors(world.weeknote.id, "like")).includes(gus.id), 15_000, "gus's like");

    await world.send(del(gus, gus.id), gus);
    await eventually(async () => (await remoteActor(gus.id)) === null, 15_000, "gus forgotten");
    expect(await followers()).not.toContain(gus.id);
    expect(await interactions().reactors(world.weeknote.id, "like")).not.toContain(gus.id);
    const kept = await replyAt(reply.id);
    expect(kept?.contentHtml).toContain("Gus was here.");
    expect(kept?.author).toBeNull();
  });

  it("ignores a Delete of an actor by someone else", async () => {
    await world.send(follow(mira, world.teamUri), mira);
    await eventually(async () => (await followers()).includes(mira.id), 15_000, "mira following");
    await world.send(del(lena, mira.id, `${lena.id}#deletes/mira`), lena);
    await world.settled();
    expect(await remoteActor(mira.id)).not.toBeNull();
    expect(await followers()).toContain(mira.id);
  });

  it("takes a Delete of something it does not hold, or a second time, without harm", async () => {
    const reply = await replyBy(mira);
    const deletion = del(mira, String(reply.id));
    await world.send(deletion, mira, world.teamInbox);
    await world.send(deletion, mira, world.sharedInbox);
    await world.send(del(mira, String(reply.id), `${String(reply.id)}#delete-again`), mira);
    await world.send(del(mira, `${mira.id}/statuses/never-seen`), mira);
    await world.settled();
    expect(await replyAt(reply.id)).toBeNull();
    expect(await remoteActor(mira.id)).not.toBeNull();
  });
});
