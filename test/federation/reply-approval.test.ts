import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/types.ts";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

const AP = { accept: "application/activity+json" };

/**
 * Two instances on loopback: people on B reply to a community's weeknotes on
 * A. Under A's reply policy a newcomer's reply is held until a moderator
 * approves or refuses it, and a closed community refuses replies outright;
 * B hears each answer and keeps it with the reply: the authorization A gave
 * (which anyone can fetch from A and which B's note then carries), or the refusal.
 */
describe("held and refused replies across two instances", () => {
  let a: RunningInstance;
  let b: RunningInstance;
  let alice: Actor;
  let team: Actor;
  let bobToken: string;
  let n = 0;

  const reply = (inReplyTo: string, body: string) =>
    fetch(`${b.origin}/api/v1/replies`, {
      method: "POST",
      headers: { authorization: `Bearer ${bobToken}`, "content-type": "application/json" },
      body: JSON.stringify({ inReplyTo, body }),
    });
  const publish = async () => {
    const post = await a.services.weeknotes.publish("team", alice, { title: `Week ${++n}`, summary: "What we did.", body: "Text." });
    return { id: post.id, url: `${a.origin}/posts/${post.id}` };
  };
  /** Bob's note on B, answering a weeknote on A, and the reply A holds of it (once it arrives). */
  const bobReplies = async (weeknote: { url: string }, text: string) => {
    const res = await reply(weeknote.url, text);
    expect(res.status).toBe(201);
    const note = (await res.json()) as { id: string; url: string };
    return note;
  };
  const heldOnA = (uri: string) =>
    eventually(async () => (await a.store.interactions.findReplyByUri(uri))?.state === "held", 15_000, `the reply ${uri} held on A`);
  const noteOnB = (id: string) => b.store.posts.findById(id);

  beforeAll(async () => {
    [a, b] = await Promise.all([startInstance(), startInstance()]);
    ({ person: alice, community: team } = await seedCommunity(a, { person: "alice", community: "team", replyPolicy: "newcomers" }));
    bobToken = (await seedCommunity(b, { person: "bob", community: "unit" })).token;
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("holds a newcomer's reply until a moderator approves it; B keeps the authorization A serves, and its note carries it", async () => {
    const weeknote = await publish();
    const note = await bobReplies(weeknote, "I am new here: will the summary be published?");
    await heldOnA(note.url);
    expect(await (await fetch(weeknote.url)).text()).not.toContain("I am new here");

    await a.services.replies.approve(alice, note.url);
    const approved = await eventually(async () => (await noteOnB(note.id))?.replyAuthorization, 15_000, "the authorization on B");
    expect(new URL(approved).origin).toBe(a.origin);
    expect(await (await fetch(weeknote.url)).text()).toContain("I am new here");

    const authorization = (await (await fetch(approved, { headers: AP })).json()) as Record<string, unknown>;
    expect(authorization).toMatchObject({
      type: "ReplyAuthorization",
      attributedTo: `${a.origin}/@alice`,
      interactingObject: note.url,
      interactionTarget: weeknote.url,
    });
    const carried = (await (await fetch(note.url, { headers: AP })).json()) as Record<string, unknown>;
    expect(carried.replyAuthorization).toBe(approved);
    expect(await (await fetch(note.url)).text()).toContain("Approved by the server of the post it answers.");
  });

  it("holds, then refuses with a reason: A never shows it, and B marks its note refused", async () => {
    const other = await seedCommunity(b, { person: "cleo", community: "cleos" });
    const weeknote = await publish();
    const res = await fetch(`${b.origin}/api/v1/replies`, {
      method: "POST",
      headers: { authorization: `Bearer ${other.token}`, "content-type": "application/json" },
      body: JSON.stringify({ inReplyTo: weeknote.url, body: "Buy my product" }),
    });
    const note = (await res.json()) as { id: string; url: string };
    await heldOnA(note.url);
    await a.services.replies.refuse(alice, note.url, "Advertising");
    await eventually(async () => (await noteOnB(note.id))?.replyRefusedAt, 15_000, "the refusal on B");
    expect(await (await fetch(note.url)).text()).toContain("Not accepted by the server of the post it answers.");
    expect((await a.store.interactions.findReplyByUri(note.url))?.state).toBe("refused");
    expect(await (await fetch(weeknote.url)).text()).not.toContain("Buy my product");
    const [entry] = await a.store.moderationLog.list({ action: "reply.refused", subjects: [note.url] }, 1, 0);
    expect(entry).toMatchObject({ reason: "Advertising", communityId: team.id });
  });

  it("refuses a reply at once where the community's replies are closed", async () => {
    await a.store.actors.setReplyPolicy(team.id, "closed");
    const weeknote = await publish();
    const note = await bobReplies(weeknote, "Closed, but replying anyway");
    await eventually(async () => (await noteOnB(note.id))?.replyRefusedAt, 15_000, "the refusal on B");
    expect(await a.store.interactions.findReplyByUri(note.url)).toBeNull();
    expect((await noteOnB(note.id))?.replyAuthorization).toBeNull();
    await a.store.actors.setReplyPolicy(team.id, "newcomers");
  });
});
