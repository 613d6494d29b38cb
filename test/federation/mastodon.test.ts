import { queryRows } from "../helpers/database.ts";
import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AS_PUBLIC,
  deliver,
  FakeMastodon,
  MASTODON_ACTIVITY_CONTEXT,
  verifyDraftCavage,
  verifyWithPublishedKey,
  type FakeUser,
} from "../helpers/fake-mastodon.ts";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

/**
 * Connexo's inbox fed Mastodon-shaped traffic by a fake Mastodon that signs
 * and verifies without Fedify. Payloads follow the shapes Mastodon documents
 * and sends (ids such as `…/users/x#likes/1`, `…/statuses/1/activity`,
 * `…/statuses/1#delete`, embedded objects in Undo and Delete).
 */
describe("Mastodon talking to Connexo's inbox", () => {
  let connexo: RunningInstance;
  let mastodon: FakeMastodon;
  /** A second Mastodon host, for objects that claim to be from elsewhere. */
  let elsewhere: FakeMastodon;
  let mira: FakeUser;
  let otto: FakeUser;
  let token: string;
  let teamId: number;
  let teamUri: string;
  let teamInbox: string;
  let weeknote: { id: string; url: string };

  const fixtures = {
    follow: (actor: FakeUser, id = `${mastodon.origin}/${randomUUID()}`) => ({
      "@context": "https://www.w3.org/ns/activitystreams",
      id,
      type: "Follow",
      actor: actor.id,
      object: teamUri,
    }),
    undo: (actor: FakeUser, object: Record<string, unknown>) => ({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${object.id as string}/undo`,
      type: "Undo",
      actor: actor.id,
      object: stripContext(object),
    }),
    note: (actor: FakeUser, statusId: string, content: string, noteId = `${actor.id}/statuses/${statusId}`) => ({
      id: noteId,
      type: "Note",
      summary: null,
      inReplyTo: weeknote.url,
      published: new Date().toISOString(),
      url: `${mastodon.origin}/@${actor.username}/${statusId}`,
      attributedTo: actor.id,
      to: [AS_PUBLIC],
      cc: [actor.followers, `${connexo.origin}/@alice`],
      sensitive: false,
      atomUri: noteId,
      inReplyToAtomUri: weeknote.url,
      conversation: `tag:127.0.0.1,2024-11-25:objectId=${statusId}:objectType=Conversation`,
      content,
      contentMap: { en: content },
      attachment: [],
      tag: [{ type: "Mention", href: `${connexo.origin}/@alice`, name: `@alice@${new URL(connexo.origin).host}` }],
    }),
    create: (actor: FakeUser, note: Record<string, unknown>, id = `${note.id as string}/activity`) => ({
      "@context": MASTODON_ACTIVITY_CONTEXT,
      id,
      type: "Create",
      actor: actor.id,
      published: note.published,
      to: note.to,
      cc: note.cc,
      object: note,
    }),
    update: (actor: FakeUser, note: Record<string, unknown>) => ({
      "@context": MASTODON_ACTIVITY_CONTEXT,
      id: `${note.id as string}#updates/${Math.floor(Date.now() / 1000)}`,
      type: "Update",
      actor: actor.id,
      published: new Date().toISOString(),
      to: note.to,
      cc: note.cc,
      object: note,
    }),
    delete: (actor: FakeUser, noteId: string) => ({
      "@context": MASTODON_ACTIVITY_CONTEXT,
      id: `${noteId}#delete`,
      type: "Delete",
      actor: actor.id,
      to: [AS_PUBLIC],
      object: { id: noteId, type: "Tombstone", atomUri: noteId },
    }),
    like: (actor: FakeUser, n: number) => ({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${actor.id}#likes/${n}`,
      type: "Like",
      actor: actor.id,
      object: weeknote.url,
    }),
    announce: (actor: FakeUser, statusId: string) => ({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${actor.id}/statuses/${statusId}/activity`,
      type: "Announce",
      actor: actor.id,
      published: new Date().toISOString(),
      to: [AS_PUBLIC],
      cc: [`${connexo.origin}/@alice`, actor.followers],
      object: weeknote.url,
    }),
  };

  const reactions = () => connexo.store.interactions.countReactions(weeknote.id);
  const replyAt = (uri: string) => connexo.store.interactions.findReplyByUri(uri);

  /** Waits until Fedify's queue is empty: everything delivered to the inbox has been handled. */
  const settled = () =>
    eventually(
      async () => {
        const [row] = await queryRows<{ n: number }>(connexo.database, "SELECT count(*) AS n FROM queue_messages WHERE queue = 'fedify'");
        return row!.n === 0;
      },
      15_000,
      "the inbox queue to drain",
    );

  beforeAll(async () => {
    [connexo, mastodon, elsewhere] = await Promise.all([startInstance(), FakeMastodon.start(["mira", "otto"]), FakeMastodon.start([])]);
    mira = mastodon.user("mira");
    otto = mastodon.user("otto");
    const seeded = await seedCommunity(connexo, { person: "alice", community: "team" });
    token = seeded.token;
    teamId = seeded.community.id;
    teamUri = `${connexo.origin}/@team`;
    teamInbox = `${connexo.origin}/@team/inbox`;
    const published = await fetch(`${connexo.origin}/api/v1/weeknotes`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        community: "team",
        title: "Week 49: the councils reply",
        summary: "Three councils answered the consultation.",
        body: "Three councils **answered**.",
        tags: ["consultation"],
      }),
    });
    expect(published.status).toBe(201);
    weeknote = (await published.json()) as { id: string; url: string };
  });
  afterAll(async () => {
    await Promise.all([connexo?.stop(), mastodon?.close(), elsewhere?.close()]);
  });

  it("takes a follow, a reply, reactions, an edit, a delete and an unfollow from Mastodon", async () => {
    // Follow: 202, stored, and answered with a signed Accept.
    const follow = fixtures.follow(mira);
    const followed = await deliver(teamInbox, follow, mira);
    expect(followed.status).toBe(202);
    await eventually(async () => (await connexo.store.follows.countFollowers(teamId)) === 1, 15_000, "the follower");

    const accept = await eventually(
      () => mastodon.signedPosts().find((r) => r.status === 202 && (JSON.parse(r.body) as { type?: string }).type === "Accept"),
      15_000,
      "the Accept at the fake inbox",
    );
    expect(accept.path).toBe("/users/mira/inbox");
    expect(accept.headers["content-type"]).toMatch(/^application\/(activity\+json|ld\+json)/);
    const verified = await verifyWithPublishedKey(accept);
    expect(verified).toMatchObject({ ok: true, owner: teamUri });
    if (verified.ok) expect(verified.keyId.startsWith(`${teamUri}#`)).toBe(true);
    // The verifier is not a rubber stamp: a body changed after signing fails.
    const forged = verifyDraftCavage({ ...accept, body: accept.body.replace("Accept", "Reject") }, mira.publicKeyPem);
    expect(forged.ok).toBe(false);
    const acceptBody = JSON.parse(accept.body) as { type: string; actor: string; object: string | { id: string; type: string } };
    expect(acceptBody.type).toBe("Accept");
    expect(acceptBody.actor).toBe(teamUri);
    const acceptedObject = typeof acceptBody.object === "string" ? acceptBody.object : acceptBody.object.id;
    expect(acceptedObject).toBe(follow.id);
    // Any RFC 9421 first knock was refused by the fake and retried with draft-cavage.
    for (const knock of mastodon.inboxPosts.filter((r) => r.status === 401)) expect(knock.headers["signature-input"]).toBeDefined();

    // A reply with a script and a mention: kept, sanitised, with its author.
    const html =
      `<p><span class="h-card" translate="no"><a href="${connexo.origin}/@alice" class="u-url mention">@<span>alice</span></a></span> ` +
      `Will the summary be published?</p><script>alert("x")</script>`;
    const note = fixtures.note(mira, "113500000000000001", html);
    expect((await deliver(teamInbox, fixtures.create(mira, note), mira)).status).toBe(202);
    const reply = await eventually(() => replyAt(note.id), 15_000, "the reply");
    expect(reply.postId).toBe(weeknote.id);
    expect(reply.inReplyTo).toBe(weeknote.url);
    expect(reply.contentHtml).toContain("Will the summary be published?");
    expect(reply.contentHtml).toContain(`href="${connexo.origin}/@alice"`);
    expect(reply.contentHtml).not.toContain("<script");
    expect(reply.contentHtml).not.toContain("alert");
    expect(reply.author?.uri).toBe(mira.id);
    expect(reply.author?.handle).toBe(`@mira@${new URL(mastodon.origin).host}`);
    expect(await connexo.store.interactions.countReplies(weeknote.id)).toBe(1);

    // Like, boost, and taking the like back.
    const like = fixtures.like(mira, 1);
    expect((await deliver(teamInbox, like, mira)).status).toBe(202);
    await eventually(async () => (await reactions()).likes === 1, 15_000, "the like");
    expect((await deliver(teamInbox, fixtures.announce(mira, "113500000000000002"), mira)).status).toBe(202);
    await eventually(async () => (await reactions()).announces === 1, 15_000, "the boost");
    expect((await deliver(teamInbox, fixtures.undo(mira, like), mira)).status).toBe(202);
    await eventually(async () => (await reactions()).likes === 0, 15_000, "the undone like");
    expect((await reactions()).announces).toBe(1);

    // The author edits the reply (Mastodon sends Update with the whole Note).
    const edited = { ...note, content: "<p>Edited: when will the summary be published?</p>", updated: new Date().toISOString() };
    expect((await deliver(teamInbox, fixtures.update(mira, edited), mira)).status).toBe(202);
    const afterEdit = await eventually(
      async () => {
        const r = await replyAt(note.id);
        return r?.contentHtml.includes("Edited:") ? r : null;
      },
      15_000,
      "the edited reply",
    );
    expect(afterEdit.updatedAt).not.toBeNull();

    // Someone else's Update of the same reply changes nothing.
    expect((await deliver(teamInbox, fixtures.update(otto, { ...note, content: "<p>Hijacked</p>" }), otto)).status).toBe(202);
    await settled();
    expect((await replyAt(note.id))?.contentHtml).toContain("Edited:");

    // The author deletes it.
    expect((await deliver(teamInbox, fixtures.delete(mira, note.id), mira)).status).toBe(202);
    await eventually(async () => (await replyAt(note.id)) === null, 15_000, "the deleted reply");
    expect(await connexo.store.interactions.countReplies(weeknote.id)).toBe(0);

    // Unfollow.
    expect((await deliver(teamInbox, fixtures.undo(mira, follow), mira)).status).toBe(202);
    await eventually(async () => (await connexo.store.follows.countFollowers(teamId)) === 0, 15_000, "the unfollow");
  });

  it("refuses an activity signed with another actor's key", async () => {
    const before = await reactions();
    // The activity says mira; the signature is otto's (valid, but not mira's key).
    const response = await deliver(teamInbox, fixtures.like(mira, 100), mira, { signAs: otto });
    expect(response.status).toBe(401);
    await settled();
    expect(await reactions()).toEqual(before);
  });

  it("refuses a body altered after signing", async () => {
    const before = await reactions();
    const response = await deliver(teamInbox, fixtures.like(mira, 101), mira, {
      tamper: (body) => body.replace("#likes/101", "#likes/102"),
    });
    // The Digest no longer matches the body, so the signature check fails.
    expect(response.status).toBe(401);
    await settled();
    expect(await reactions()).toEqual(before);
  });

  it("ignores a Create whose Note lives on another host than its actor", async () => {
    // (a) Mastodon-shaped Create on mira's host embedding a Note with an id on
    // another host: Fedify does not trust the embedded copy and fetches the
    // Note from that host, which serves it; Connexo must still refuse it.
    const foreignId = `${elsewhere.origin}/users/mira/statuses/1`;
    const foreign = fixtures.note(mira, "1", "<p>Not really from mira's server</p>", foreignId);
    elsewhere.documents.set(new URL(foreignId).pathname, { "@context": MASTODON_ACTIVITY_CONTEXT, ...foreign });
    const create = fixtures.create(mira, foreign, `${mira.id}/statuses/113500000000000009/activity`);
    expect((await deliver(teamInbox, create, mira)).status).toBe(202);
    await eventually(() => elsewhere.gets.includes(new URL(foreignId).pathname), 15_000, "the fetch of the foreign Note");
    await settled();
    expect(await replyAt(foreignId)).toBeNull();

    // (b) The Create itself also names the other host, so Fedify keeps the
    // embedded Note as is: only Connexo's own origin check stands in the way.
    const foreign2Id = `${elsewhere.origin}/users/mira/statuses/2`;
    const foreign2 = fixtures.note(mira, "2", "<p>Also not from mira's server</p>", foreign2Id);
    expect((await deliver(teamInbox, fixtures.create(mira, foreign2), mira)).status).toBe(202);
    await settled();
    expect(await replyAt(foreign2Id)).toBeNull();
    expect(await connexo.store.interactions.countReplies(weeknote.id)).toBe(0);
  });

  it("refuses a body over 1 MiB with 413 before parsing it", async () => {
    const before = await reactions();
    const big = { ...fixtures.like(mira, 200), padding: "x".repeat(1024 * 1024 + 1) };
    const response = await deliver(teamInbox, big, mira);
    expect(response.status).toBe(413);

    // The same without a Content-Length (chunked): the limit holds while
    // reading. Sent on its own connection, since the server answers before
    // the upload ends and the connection cannot be reused after that.
    const chunked = await postChunked(teamInbox, 2 * 1024 * 1024);
    expect(chunked.status).toBe(413);
    expect(chunked.contentType).toContain("application/json");
    await settled();
    expect(await reactions()).toEqual(before);
  });

  it("refuses JSON nested 200 levels deep with 400", async () => {
    const before = await reactions();
    const like = JSON.stringify(fixtures.like(mira, 300));
    const nested = `${like.slice(0, -1)},"junk":${"[".repeat(200)}${"]".repeat(200)}}`;
    expect(() => JSON.parse(nested)).not.toThrow();
    const response = await deliver(teamInbox, nested, mira);
    expect(response.status).toBe(400);
    await settled();
    expect(await reactions()).toEqual(before);
  });

  it("counts a Like delivered twice once", async () => {
    const before = await reactions();
    const like = fixtures.like(otto, 7);
    // Mastodon retries with a fresh signature and Date, same activity id.
    expect((await deliver(teamInbox, like, otto)).status).toBe(202);
    expect((await deliver(teamInbox, like, otto)).status).toBe(202);
    await eventually(async () => (await reactions()).likes === before.likes + 1, 15_000, "the like");
    await settled();
    expect(await reactions()).toEqual({ likes: before.likes + 1, announces: before.announces });
  });
});

function stripContext(object: Record<string, unknown>): Record<string, unknown> {
  const { "@context": _context, ...rest } = object;
  return rest;
}

/** POSTs about `bytes` of JSON in chunks, with no Content-Length, on a connection of its own. */
function postChunked(url: string, bytes: number): Promise<{ status: number; contentType: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: "POST", agent: false, headers: { "content-type": "application/activity+json" } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? "") });
    });
    // The server may close the connection while we are still writing; the answer is what counts.
    req.on("error", (error) => (req.destroyed ? undefined : reject(error)));
    const chunk = "x".repeat(64 * 1024);
    req.write('{"padding":"');
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end('"}');
    };
    pump();
  });
}
