import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReplyPolicy } from "../../src/domain/reply-policy.ts";
import type { Actor } from "../../src/domain/types.ts";
import { queryRows } from "../helpers/database.ts";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";
const HTML = { accept: "text/html,application/xhtml+xml" };

const newcomer = {
  uri: "https://elsewhere.example/users/nia",
  type: "Person",
  handle: "@nia@elsewhere.example",
  name: "Nia Newcomer",
  url: "https://elsewhere.example/@nia",
  iconUrl: null,
  inbox: "https://elsewhere.example/users/nia/inbox",
  sharedInbox: null,
};

/**
 * The queue of held replies (`/moderation`) and the header's count, the
 * approve and refuse forms and their refusals, and how each reply policy
 * shows on a post's page and limits the reply form for people here.
 */
describe("replies held for approval, on the web", () => {
  let instance: RunningInstance;
  let alice: Actor;
  let team: Actor;
  let facilitator: WebClient;
  let member: WebClient;
  let reader: WebClient;
  let n = 0;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    ({ person: alice, community: team } = await seedCommunity(instance, { person: "alice", community: "team", replyPolicy: "newcomers" }));
    const { actors } = instance.services;
    await actors.createPerson({ handle: "fay", displayName: "Fay Facilitator", password: PASSWORD });
    await actors.createPerson({ handle: "mo", displayName: "Mo Member", password: PASSWORD });
    await actors.createPerson({ handle: "oz", displayName: "Oz Outsider", password: PASSWORD });
    await actors.addMember("team", "fay", "facilitator");
    await actors.addMember("team", "mo", "member");
    facilitator = new WebClient(instance, instance.origin);
    await facilitator.signIn("fay", PASSWORD);
    member = new WebClient(instance, instance.origin);
    await member.signIn("mo", PASSWORD);
    reader = new WebClient(instance, instance.origin);
  });
  afterAll(async () => {
    await instance?.stop();
  });

  const setPolicy = (policy: ReplyPolicy) => instance.store.actors.setReplyPolicy(team.id, policy);

  /** A weeknote in the team with one reply held from a newcomer elsewhere. */
  async function heldReply(text: string) {
    await setPolicy("newcomers");
    const post = await instance.services.weeknotes.publish("team", alice, { title: `Bins ${++n}`, summary: "About bins.", body: "Text." });
    const uri = `https://elsewhere.example/notes/${post.id}`;
    const received = await instance.services.replies.receive({
      uri,
      inReplyTo: `${instance.origin}/posts/${post.id}`,
      localPostId: post.id,
      // Someone new each time: one whose reply was approved has taken part.
      author: { ...newcomer, uri: `${newcomer.uri}${n}`, handle: `@nia${n}@elsewhere.example` },
      url: null,
      contentHtml: `<p>${text}</p>`,
      publishedAt: new Date(),
      updatedAt: null,
    });
    expect(received?.outcome).toBe("hold");
    return { post, uri, path: `/posts/${post.id}` };
  }

  const html = async (client: WebClient, path: string) => {
    const res = await client.get(path, HTML);
    expect(res.status).toBe(200);
    return page(await res.text());
  };
  const stateOf = async (uri: string) => (await instance.store.interactions.findReplyByUri(uri))?.state ?? null;
  const answersQueued = async () =>
    (await queryRows<{ payload: string }>(instance.database, "SELECT payload FROM queue_messages WHERE queue = 'events'"))
      .map((row) => JSON.parse(row.payload) as Record<string, unknown>)
      .filter((event) => event.type === "reply.answered");

  it("counts held replies in the header for those who moderate, and lists them in the queue", async () => {
    const { uri, path } = await heldReply("A newcomer asks about bins");
    expect((await html(reader, path)).text("section[aria-labelledby=replies-title]")).not.toContain("A newcomer asks");

    const header = await html(facilitator, "/");
    const waiting = await instance.store.interactions.countHeldReplies([team.id]);
    expect(waiting).toBeGreaterThan(0);
    expect(header.text(`nav a[href="/moderation"]`)).toBe(`Moderation (${waiting} waiting)`);
    expect((await html(member, "/")).count(`nav a[href="/moderation"]`)).toBe(0);
    expect((await html(reader, "/")).count(`nav a[href="/moderation"]`)).toBe(0);

    const queue = await html(facilitator, "/moderation");
    expect(queue.text("main")).toContain("A newcomer asks about bins");
    expect(queue.count(`input[name=reply][value="${uri}"]`)).toBe(2);
    expect((await member.get("/moderation", HTML)).status).toBe(403);
    const signedOut = await reader.get("/moderation", HTML);
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toContain("/sign-in");
  });

  it("approves a held reply: it is shown, logged, and its author's server is to be told", async () => {
    const { uri, path } = await heldReply("Please approve me");
    const before = (await answersQueued()).length;
    const res = await facilitator.post("/moderation/replies/approve", { reply: uri });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/moderation?done=approved");
    expect(await stateOf(uri)).toBe("visible");
    expect((await html(reader, path)).text("section[aria-labelledby=replies-title]")).toContain("Please approve me");
    const answers = await answersQueued();
    expect(answers.length).toBe(before + 1);
    const [answer] = answers.filter((a) => a.replyUri === uri);
    expect(answer).toMatchObject({ authorUri: `${newcomer.uri}${n}`, authorizationId: expect.any(String) });
    const fay = (await instance.services.actors.find("fay"))!;
    const [entry] = (await instance.store.moderationLog.list({ action: "reply.approved", subjects: [uri] }, 1, 0)) ?? [];
    expect(entry).toMatchObject({ actorId: fay.id, communityId: team.id });

    // Approving it again is a conflict, changing nothing.
    expect((await facilitator.post("/moderation/replies/approve", { reply: uri })).status).toBe(409);
  });

  it("refuses a held reply with a reason: it is never shown, and the log keeps what it said", async () => {
    const { uri, path } = await heldReply("Buy cheap watches");
    const res = await facilitator.post("/moderation/replies/refuse", { reply: uri, reason: "Spam" });
    expect(res.status).toBe(303);
    expect(await stateOf(uri)).toBe("refused");
    expect((await html(facilitator, path)).text("section[aria-labelledby=replies-title]")).not.toContain("Buy cheap watches");
    const [entry] = await instance.store.moderationLog.list({ action: "reply.refused", subjects: [uri] }, 1, 0);
    expect(entry).toMatchObject({ reason: "Spam", details: { contentHtml: "<p>Buy cheap watches</p>" } });
    expect((await answersQueued()).filter((a) => a.replyUri === uri)).toEqual([expect.objectContaining({ authorizationId: null })]);
  });

  it("refuses a plain member (403), another community's facilitator (403) and a form without its anti-forgery token (403), changing nothing", async () => {
    const { uri } = await heldReply("Still waiting");
    expect((await member.post("/moderation/replies/approve", { reply: uri })).status).toBe(403);
    await seedCommunity(instance, { person: "otto", community: "others" });
    await instance.services.actors.addMember("others", "oz", "facilitator");
    const elsewhere = new WebClient(instance, instance.origin);
    await elsewhere.signIn("oz", PASSWORD);
    const theirQueue = await html(elsewhere, "/moderation");
    expect(theirQueue.text("main")).not.toContain("Still waiting");
    expect((await elsewhere.post("/moderation/replies/approve", { reply: uri })).status).toBe(403);
    expect((await elsewhere.post("/moderation/replies/refuse", { reply: uri, reason: "Not mine" })).status).toBe(403);
    expect((await member.post("/moderation/replies/refuse", { reply: uri, reason: "No" })).status).toBe(403);
    expect((await facilitator.post("/moderation/replies/approve", { reply: uri, _csrf: "" })).status).toBe(403);
    expect(await stateOf(uri)).toBe("held");
    const tooLong = await facilitator.post("/moderation/replies/refuse", { reply: uri, reason: "x".repeat(501) });
    expect(tooLong.status).toBe(400);
    expect(page(await tooLong.text()).text(".error-summary")).toContain("Reason");
    expect(await stateOf(uri)).toBe("held");
  });

  it("says on a post's page what the policy is, and offers the reply form only to those it lets reply", async () => {
    const post = await instance.services.weeknotes.publish("team", alice, { title: "Policies", summary: "About replies.", body: "Text." });
    const path = `/posts/${post.id}`;
    const outsider = new WebClient(instance, instance.origin);
    await outsider.signIn("oz", PASSWORD);

    await setPolicy("newcomers");
    expect((await html(reader, path)).text(".reply-policy")).toBe(
      "Replies from people new to this community are held until a moderator approves them.",
    );
    expect((await html(outsider, path)).count("#reply-form")).toBe(1);

    await setPolicy("followers");
    expect((await html(outsider, path)).count("#reply-form")).toBe(0);
    expect((await html(member, path)).count("#reply-form")).toBe(1);
    expect((await outsider.post(`${path}/replies`, { body: "Let me in" })).status).toBe(403);
    expect((await member.post(`${path}/replies`, { body: "A member replies" })).status).toBe(303);

    await setPolicy("closed");
    const closed = await html(reader, path);
    expect(closed.text(".reply-policy")).toBe("Replies are closed.");
    expect(closed.text("section[aria-labelledby=replies-title]")).not.toContain("sign in");
    expect((await html(member, path)).count("#reply-form")).toBe(0);
    expect((await member.post(`${path}/replies`, { body: "Closed?" })).status).toBe(403);
    expect((await html(facilitator, path)).count("#reply-form")).toBe(1);
    await setPolicy("newcomers");
  });
});
