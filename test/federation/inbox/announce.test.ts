import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MASTODON_ACTIVITY_CONTEXT, type FakeUser } from "../../helpers/fake-mastodon.ts";
import { eventually } from "../../helpers/instance.ts";
import { announce, note, startInboxWorld, undo, type InboxWorld } from "./setup.ts";

/**
 * federation/inbox/reactions.ts, onAnnounced: a boost of one of our posts is
 * counted; a boost of someone else's post goes to the network view, but only
 * if someone here follows the booster.
 */
describe("inbox: Announce", () => {
  let world: InboxWorld;
  let mira: FakeUser;
  /** A community elsewhere that alice follows; it boosts its members' posts. */
  let otto: FakeUser;
  /** Writes the posts otto boosts; nobody here follows her. */
  let lena: FakeUser;
  /** Followed by nobody here. */
  let sid: FakeUser;

  const interactions = () => world.connexo.store.interactions;
  const boosters = (postId: string) => interactions().reactors(postId, "announce");
  const remotePostAt = (uri: unknown) => interactions().findRemotePost(String(uri));
  const timeline = async () => (await interactions().timeline(world.alice.id, 50)).map((p) => p.uri);
  /** A Note by lena, served by her server as Mastodon would. */
  const servedNote = (fields: Record<string, unknown> = {}) => {
    const object = note(lena, fields);
    world.mastodon.documents.set(new URL(String(object.id)).pathname, { "@context": MASTODON_ACTIVITY_CONTEXT, ...object });
    return object;
  };

  beforeAll(async () => {
    world = await startInboxWorld(["mira", "otto", "lena", "sid", "dana"], { elsewhere: ["lena"] });
    mira = world.mastodon.user("mira");
    otto = world.mastodon.user("otto");
    lena = world.mastodon.user("lena");
    sid = world.mastodon.user("sid");
    await world.followFake(otto);
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("counts a boost of a weeknote", async () => {
    await world.send(announce(mira, world.weeknote.url), mira, world.teamInbox);
    await eventually(async () => (await boosters(world.weeknote.id)).includes(mira.id), 15_000, "the boost");
    expect(await interactions().countReactions(world.weeknote.id)).toEqual({ likes: 0, announces: 1 });
  });

  it("counts one actor's boosts of a post once", async () => {
    const dana = world.mastodon.user("dana");
    const before = await interactions().countReactions(world.weeknote.id);
    const activity = announce(dana, world.weeknote.url);
    // The same Announce at two inboxes (Fedify drops the repeat), then a new Announce with an id of its own.
    await world.send(activity, dana, world.teamInbox);
    await world.send(activity, dana, world.sharedInbox);
    await world.send(announce(dana, world.weeknote.url), dana);
    await world.settled();
    expect(await interactions().countReactions(world.weeknote.id)).toEqual({ ...before, announces: before.announces + 1 });
  });

  it("ignores a boost of a local post that does not exist or is not published", async () => {
    const draft = await world.connexo.services.weeknotes.publish(
      "team",
      world.alice,
      { title: "Not yet", summary: "A draft.", body: "Draft." },
      { draft: true },
    );
    await world.send(announce(sid, `${world.connexo.origin}/posts/${draft.id}`), sid);
    await world.send(announce(sid, `${world.connexo.origin}/posts/${randomUUID()}`), sid);
    await world.settled();
    expect(await boosters(draft.id)).toEqual([]);
    expect(await world.connexo.store.remoteActors.findByUri(sid.id)).toBeNull();
  });

  it("keeps a post boosted by someone followed here, embedded or named", async () => {
    const embedded = servedNote({ content: "<p>Embedded in the boost.</p>" });
    const named = servedNote({ content: "<p>Named by the boost.</p>" });
    await world.send(announce(otto, embedded), otto);
    await world.send(announce(otto, String(named.id)), otto);
    const kept = await eventually(() => remotePostAt(embedded.id), 15_000, "the embedded post");
    expect(kept).toMatchObject({ announcedBy: otto.id, author: { uri: lena.id } });
    expect(kept.contentHtml).toContain("Embedded in the boost.");
    const fetched = await eventually(() => remotePostAt(named.id), 15_000, "the named post");
    expect(fetched).toMatchObject({ announcedBy: otto.id, author: { uri: lena.id } });
    expect(fetched.contentHtml).toContain("Named by the boost.");
    expect(await timeline()).toEqual(expect.arrayContaining([embedded.id, named.id]));
  });

  it("takes a boosted post out of the network view when its booster undoes the boost", async () => {
    const boostedNote = servedNote({ content: "<p>Boosted, then not.</p>" });
    const boost = announce(otto, boostedNote);
    await world.send(boost, otto);
    await eventually(async () => (await timeline()).includes(String(boostedNote.id)), 15_000, "the boosted post");
    await world.send(undo(otto, boost), otto);
    await eventually(async () => !(await timeline()).includes(String(boostedNote.id)), 15_000, "the boost taken back");
    expect((await remotePostAt(boostedNote.id))?.announcedBy).toBeNull();
  });

  it("keeps a boosted post as its own server serves it, not as the boost embeds it", async () => {
    // The Note lives on another host, which serves the genuine text; the boost embeds another.
    const elsewhereLena = world.elsewhere!.user("lena");
    const genuine = note(elsewhereLena, { content: "<p>Genuine.</p>" });
    world.elsewhere!.documents.set(new URL(String(genuine.id)).pathname, { "@context": MASTODON_ACTIVITY_CONTEXT, ...genuine });
    await world.send(announce(otto, { ...genuine, content: "<p>Forged.</p>" }), otto);
    const kept = await eventually(() => remotePostAt(genuine.id), 15_000, "the boosted post");
    expect(kept.contentHtml).toContain("Genuine.");
    expect(kept.author?.uri).toBe(elsewhereLena.id);
  });

  it("ignores a boost of someone else's post by an actor nobody here follows", async () => {
    const embedded = servedNote({ content: "<p>Boosted by a stranger.</p>" });
    const named = servedNote();
    await world.send(announce(sid, embedded), sid);
    await world.send(announce(sid, String(named.id)), sid);
    await world.settled();
    expect(await remotePostAt(embedded.id)).toBeNull();
    expect(await remotePostAt(named.id)).toBeNull();
    expect(await world.connexo.store.remoteActors.findByUri(sid.id)).toBeNull();
    // Not even fetched: a stranger's boost costs us nothing.
    expect(world.mastodon.gets).not.toContain(new URL(String(named.id)).pathname);
  });

  it("drops, without retrying, a boost of a post whose server says it is gone", async () => {
    const goneAt = `${world.mastodon.origin}/users/lena/statuses/${randomUUID()}`;
    await world.send(announce(otto, goneAt), otto);
    // A 404 is final: the activity leaves the queue at once instead of waiting for retries.
    await world.settled();
    expect(await remotePostAt(goneAt)).toBeNull();
    expect(world.mastodon.gets.filter((path) => path === new URL(goneAt).pathname)).toHaveLength(1);
  });

  it("ignores a boost by someone followed of something that is not a Note or an Article", async () => {
    await world.send(announce(otto, lena.id), otto); // an actor
    const question = servedNote({ type: "Question", oneOf: [{ type: "Note", name: "Yes" }] });
    await world.send(announce(otto, question), otto);
    await world.settled();
    expect(await remotePostAt(lena.id)).toBeNull();
    expect(await remotePostAt(question.id)).toBeNull();
  });
});
