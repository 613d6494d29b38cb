import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeUser } from "../../helpers/fake-mastodon.ts";
import { eventually } from "../../helpers/instance.ts";
import { like, startInboxWorld, type InboxWorld } from "./setup.ts";

/** federation/inbox/reactions.ts, onLiked: a Like of one of our posts is counted, once. */
describe("inbox: Like", () => {
  let world: InboxWorld;
  let mira: FakeUser;

  const interactions = () => world.connexo.store.interactions;
  const likers = (postId: string) => interactions().reactors(postId, "like");
  const remoteActor = (uri: string) => world.connexo.store.remoteActors.findByUri(uri);

  beforeAll(async () => {
    world = await startInboxWorld(["mira", "otto", "dana", "ned", "ivy", "kim"]);
    mira = world.mastodon.user("mira");
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("counts a Like of a weeknote, and shows it on its likes collection", async () => {
    await world.send(like(mira, world.weeknote.url), mira, world.teamInbox);
    await eventually(async () => (await likers(world.weeknote.id)).includes(mira.id), 15_000, "the like");
    expect(await interactions().countReactions(world.weeknote.id)).toEqual({ likes: 1, announces: 0 });
    const likes = await world.connexo.app.request(`${world.weeknote.url}/likes`, { headers: { accept: "application/activity+json" } });
    expect(((await likes.json()) as { totalItems?: number }).totalItems).toBe(1);
  });

  it("counts a Like of a decision record and of a local note", async () => {
    const otto = world.mastodon.user("otto");
    const decision = await world.connexo.services.decisions.propose("team", world.alice, {
      title: "Meet fortnightly",
      question: "Should we meet every two weeks?",
      context: "Weekly is a lot.",
    });
    const reply = await world.connexo.services.interactions.reply(world.alice, world.weeknote.url, "Thanks, all.");
    await world.send(like(otto, `${world.connexo.origin}/decisions/${decision.post.id}`), otto);
    await world.send(like(otto, `${world.connexo.origin}/notes/${reply.id}`), otto);
    await eventually(async () => (await likers(decision.post.id)).includes(otto.id), 15_000, "the like of the record");
    await eventually(async () => (await likers(reply.id)).includes(otto.id), 15_000, "the like of the note");
  });

  it("counts one actor's Likes of a post once", async () => {
    const dana = world.mastodon.user("dana");
    const before = await interactions().countReactions(world.weeknote.id);
    const activity = like(dana, world.weeknote.url);
    // The same Like at two inboxes (Fedify drops the repeat), then a new Like with an id of its own.
    await world.send(activity, dana, world.teamInbox);
    await world.send(activity, dana, world.sharedInbox);
    await world.send(like(dana, world.weeknote.url), dana);
    await world.settled();
    expect(await interactions().countReactions(world.weeknote.id)).toEqual({ ...before, likes: before.likes + 1 });
  });

  it("ignores a Like of a post that is not ours", async () => {
    const ned = world.mastodon.user("ned");
    const before = await interactions().countReactions(world.weeknote.id);
    await world.send(like(ned, `${world.mastodon.origin}/users/mira/statuses/1`), ned);
    await world.send(like(ned, `https://elsewhere.example/posts/${world.weeknote.id}`), ned);
    await world.send(like(ned, world.teamUri), ned); // ours, but an actor
    await world.settled();
    expect(await interactions().countReactions(world.weeknote.id)).toEqual(before);
    expect(await remoteActor(ned.id)).toBeNull();
  });

  it("ignores a Like of a local post that does not exist or is not published", async () => {
    const ivy = world.mastodon.user("ivy");
    const draft = await world.connexo.services.weeknotes.publish(
      "team",
      world.alice,
      { title: "Not yet", summary: "A draft.", body: "Draft." },
      { draft: true },
    );
    await world.send(like(ivy, `${world.connexo.origin}/posts/${randomUUID()}`), ivy);
    await world.send(like(ivy, `${world.connexo.origin}/posts/${draft.id}`), ivy);
    await world.settled();
    expect(await likers(draft.id)).toEqual([]);
    expect(await remoteActor(ivy.id)).toBeNull();
  });

  it("ignores a Like of a post that was deleted", async () => {
    const kim = world.mastodon.user("kim");
    const gone = await world.connexo.services.weeknotes.publish("team", world.alice, {
      title: "Gone",
      summary: "Deleted.",
      body: "Soon gone.",
    });
    await world.connexo.services.weeknotes.delete(gone.id, world.alice);
    await world.send(like(kim, `${world.connexo.origin}/posts/${gone.id}`), kim);
    await world.settled();
    expect(await likers(gone.id)).toEqual([]);
    expect(await remoteActor(kim.id)).toBeNull();
  });
});
