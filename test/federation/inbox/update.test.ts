import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeUser } from "../../helpers/fake-mastodon.ts";
import { eventually } from "../../helpers/instance.ts";
import { create, follow, note, startInboxWorld, update, type InboxWorld } from "./setup.ts";

/**
 * federation/inbox/update.ts: an author edits a reply or a post we keep, or a
 * remote actor we know changes their profile; nobody else changes either.
 */
describe("inbox: Update", () => {
  let world: InboxWorld;
  let mira: FakeUser;
  /** Followed by alice. */
  let otto: FakeUser;
  /** On mira's host, but not mira. */
  let lena: FakeUser;
  /** On another host. */
  let eve: FakeUser;
  let reply: Record<string, unknown>;
  let post: Record<string, unknown>;

  const interactions = () => world.connexo.store.interactions;
  const replyAt = (uri: unknown) => interactions().findReplyByUri(String(uri));
  const remotePostAt = (uri: unknown) => interactions().findRemotePost(String(uri));
  const remoteActor = (uri: string) => world.connexo.store.remoteActors.findByUri(uri);
  const later = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

  beforeAll(async () => {
    world = await startInboxWorld(["mira", "otto", "lena", "nora", "finn"], { elsewhere: ["eve"] });
    mira = world.mastodon.user("mira");
    otto = world.mastodon.user("otto");
    lena = world.mastodon.user("lena");
    eve = world.elsewhere!.user("eve");
    await world.followFake(otto);
    // Mira's reply to the weeknote, and otto's post for the network view.
    reply = note(mira, { inReplyTo: world.weeknote.url, content: "<p>First thoughts.</p>" });
    post = note(otto, { content: "<p>Original post.</p>" });
    await world.send(create(mira, reply), mira);
    await world.send(create(otto, post), otto);
    await eventually(async () => (await replyAt(reply.id)) && (await remotePostAt(post.id)), 15_000, "the reply and the post");
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("takes the author's edit of a reply, sanitised", async () => {
    const edited = { ...reply, content: `<p>Second thoughts.</p><script>alert(1)</script>`, updated: later(1) };
    await world.send(update(mira, edited), mira);
    const kept = await eventually(
      async () => {
        const r = await replyAt(reply.id);
        return r?.contentHtml.includes("Second thoughts.") ? r : null;
      },
      15_000,
      "the edited reply",
    );
    expect(kept.contentHtml).not.toContain("script");
    expect(kept.updatedAt?.toISOString()).toBe(edited.updated);
  });

  it("ignores an edit of a reply older than the version we hold", async () => {
    const newer = { ...reply, content: "<p>Third thoughts.</p>", updated: later(3) };
    await world.send(update(mira, newer), mira);
    await eventually(async () => (await replyAt(reply.id))?.contentHtml.includes("Third thoughts."), 15_000, "the newer edit");
    // An edit made before that one arrives late: it must not undo the newer text.
    await world.send(update(mira, { ...reply, content: "<p>Stale thoughts.</p>", updated: later(2) }), mira);
    await world.settled();
    const kept = await replyAt(reply.id);
    expect(kept!.contentHtml).toContain("Third thoughts.");
    expect(kept!.updatedAt?.toISOString()).toBe(newer.updated);
  });

  it("ignores an edit of a reply by anyone but its author", async () => {
    const before = (await replyAt(reply.id))!.contentHtml;
    // Lena, on mira's own host; and eve, from another host, naming mira's reply.
    await world.send(update(lena, { ...reply, content: "<p>Hijacked by lena</p>" }), lena);
    await world.send(update(eve, { ...reply, content: "<p>Hijacked by eve</p>" }), eve);
    await world.settled();
    expect((await replyAt(reply.id))!.contentHtml).toBe(before);
  });

  it("takes the author's edit of a post we keep", async () => {
    const edited = { ...post, content: "<p>Edited post.</p>", summary: "<p>Now with a summary</p>", updated: later(1) };
    await world.send(update(otto, edited), otto);
    const kept = await eventually(
      async () => {
        const p = await remotePostAt(post.id);
        return p?.contentHtml.includes("Edited post.") ? p : null;
      },
      15_000,
      "the edited post",
    );
    expect(kept.summary).toBe("Now with a summary");
    expect(kept.updatedAt?.toISOString()).toBe(edited.updated);
  });

  it("ignores an edit of a post we keep by anyone but its author", async () => {
    const before = await remotePostAt(post.id);
    await world.send(update(lena, { ...post, content: "<p>Hijacked by lena</p>", updated: later(10) }), lena);
    await world.send(update(eve, { ...post, content: "<p>Hijacked by eve</p>", updated: later(10) }), eve);
    await world.settled();
    expect(await remotePostAt(post.id)).toEqual(before);
  });

  it("ignores an edit older than the version we hold", async () => {
    const before = await remotePostAt(post.id);
    expect(before?.updatedAt).not.toBeNull();
    await world.send(
      update(otto, { ...post, content: "<p>Stale edit.</p>", updated: new Date(Date.now() - 3_600_000).toISOString() }),
      otto,
    );
    await world.settled();
    expect(await remotePostAt(post.id)).toEqual(before);
  });

  it("does not keep a post it first hears of in an Update", async () => {
    // Otto is followed, but we never got this post: an Update does not add it.
    const unseen = note(otto, { content: "<p>Never created here.</p>", updated: later(1) });
    const unseenReply = note(otto, { inReplyTo: world.weeknote.url, updated: later(1) });
    await world.send(update(otto, unseen), otto);
    await world.send(update(otto, unseenReply), otto);
    await world.settled();
    expect(await remotePostAt(unseen.id)).toBeNull();
    expect(await replyAt(unseenReply.id)).toBeNull();
  });

  it("refreshes the profile of a remote actor we know", async () => {
    const nora = world.mastodon.user("nora");
    await world.send(follow(nora, world.teamUri), nora);
    await eventually(() => remoteActor(nora.id), 15_000, "nora known here");
    expect((await remoteActor(nora.id))!.name).toBe("Nora Mastodon");

    // Nora renames herself; her server serves the new profile, and sends it in an Update.
    const serve = world.mastodon.actorDocument.bind(world.mastodon);
    world.mastodon.actorDocument = (user) => ({ ...serve(user), ...(user.username === "nora" ? { name: "Nora Renamed" } : {}) });
    const profile = world.mastodon.actorDocument(nora);
    await world.send(update(nora, profile, `${nora.id}#updates/${randomUUID()}`), nora);
    await eventually(async () => (await remoteActor(nora.id))?.name === "Nora Renamed", 15_000, "the new name");
  });

  it("ignores a profile Update of an actor nobody here knows, or by someone else", async () => {
    const finn = world.mastodon.user("finn");
    await world.send(update(finn, world.mastodon.actorDocument(finn), `${finn.id}#updates/${randomUUID()}`), finn);
    // Lena sends otto's profile, renamed.
    const ottoBefore = await remoteActor(otto.id);
    await world.send(update(lena, { ...world.mastodon.actorDocument(otto), name: "Not Otto" }, `${lena.id}#updates/${randomUUID()}`), lena);
    await world.settled();
    expect(await remoteActor(finn.id)).toBeNull();
    expect(await remoteActor(otto.id)).toEqual(ottoBefore);
  });
});
