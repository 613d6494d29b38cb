import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReplyPolicy } from "../../../src/domain/reply-policy.ts";
import type { FakeUser } from "../../helpers/fake-mastodon.ts";
import { eventually } from "../../helpers/instance.ts";
import { create, follow, note, objectIdOf, received, startInboxWorld, type InboxWorld } from "./setup.ts";

const AP = { accept: "application/activity+json" };
const GTS = "https://gotosocial.org/ns";

/**
 * federation/inbox/create.ts and reply-request.ts under a community's reply
 * policy: a reply is shown, held for a moderator or refused (and then not
 * stored), and its author's server hears of approval and refusal as
 * GoToSocial's interaction controls say.
 */
describe("inbox: replies under a community's reply policy", () => {
  let world: InboxWorld;
  let nia: FakeUser;
  let ravi: FakeUser;
  let sol: FakeUser;
  let tam: FakeUser;

  const setPolicy = (policy: ReplyPolicy) => world.connexo.store.actors.setReplyPolicy(world.team.id, policy);
  const replyAt = (uri: unknown) => world.connexo.store.interactions.findReplyByUri(String(uri));
  const page = async () => (await world.connexo.app.request(world.weeknote.url)).text();
  /** The answer (Accept or Reject) the fake server received about this reply or request. */
  const answerAbout = (id: unknown, type: "Accept" | "Reject") =>
    eventually(
      () => received(world.mastodon).find((a) => a.type === type && (objectIdOf(a) === id || a.object === id)),
      15_000,
      `the ${type} of ${String(id)}`,
    );
  const replyTo = (user: FakeUser, text: string, inReplyTo = world.weeknote.url) =>
    note(user, { inReplyTo, content: `<p>${text}</p>`, cc: [user.followers, world.aliceUri] });

  beforeAll(async () => {
    world = await startInboxWorld(["nia", "ravi", "sol", "tam"]);
    nia = world.mastodon.user("nia");
    ravi = world.mastodon.user("ravi");
    sol = world.mastodon.user("sol");
    tam = world.mastodon.user("tam");
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("publishes the community's policy on its posts as interactionPolicy.canReply", async () => {
    const policyOf = async () => {
      const body = (await (await world.connexo.app.request(world.weeknote.url, { headers: AP })).json()) as Record<string, unknown>;
      expect(JSON.stringify(body["@context"])).toContain(GTS);
      return (body.interactionPolicy as { canReply: Record<string, unknown> }).canReply;
    };
    await setPolicy("newcomers");
    expect(await policyOf()).toEqual({
      automaticApproval: [world.aliceUri, `${world.teamUri}/members`],
      manualApproval: "as:Public",
    });
    await setPolicy("followers");
    expect(await policyOf()).toEqual({ automaticApproval: [world.aliceUri, `${world.teamUri}/members`, `${world.teamUri}/followers`] });
    await setPolicy("closed");
    expect(await policyOf()).toEqual({ automaticApproval: world.aliceUri });
    await setPolicy("open");
    expect(await policyOf()).toEqual({ automaticApproval: "as:Public" });
  });

  it("holds a newcomer's reply out of sight until a moderator approves it, then tells its server with an authorization", async () => {
    await setPolicy("newcomers");
    const reply = replyTo(nia, "First time here: when do the bins change?");
    await world.send(create(nia, reply), nia, world.teamInbox);
    const held = await eventually(() => replyAt(reply.id), 15_000, "the held reply");
    expect(held.state).toBe("held");
    expect(await page()).not.toContain("First time here");
    expect(await world.connexo.services.replies.heldCount(world.alice)).toBe(1);

    await world.connexo.services.replies.approve(world.alice, String(reply.id));
    expect(await page()).toContain("First time here");
    const accept = await answerAbout(reply.id, "Accept");
    expect(accept).toMatchObject({ actor: world.aliceUri, to: nia.id, object: reply.id, target: world.weeknote.url });
    const authorization = (await (await world.connexo.app.request(String(accept.result), { headers: AP })).json()) as Record<
      string,
      unknown
    >;
    expect(authorization).toMatchObject({
      type: "ReplyAuthorization",
      id: accept.result,
      attributedTo: world.aliceUri,
      interactingObject: reply.id,
      interactionTarget: world.weeknote.url,
    });

    // Having taken part, their next reply is shown at once, and nothing is sent about it.
    const again = replyTo(nia, "Thanks, that helps.");
    await world.send(create(nia, again), nia, world.teamInbox);
    expect((await eventually(() => replyAt(again.id), 15_000, "the second reply")).state).toBe("visible");
    await world.settled();
    expect(received(world.mastodon).filter((a) => objectIdOf(a) === again.id)).toEqual([]);
  });

  it("holds a reply to a held reply with it, even from the post's own thread", async () => {
    await setPolicy("newcomers");
    const first = replyTo(ravi, "A question from a newcomer.");
    await world.send(create(ravi, first), ravi, world.teamInbox);
    await eventually(() => replyAt(first.id), 15_000, "the first reply");
    const second = replyTo(ravi, "And a follow-up to my own question.", String(first.id));
    await world.send(create(ravi, second), ravi, world.teamInbox);
    expect((await eventually(() => replyAt(second.id), 15_000, "the reply to it")).state).toBe("held");
  });

  it("refuses a stranger's reply where only followers and members may reply, storing nothing and answering with a Reject", async () => {
    await setPolicy("followers");
    const reply = replyTo(sol, "I am not a follower.");
    await world.send(create(sol, reply), sol, world.teamInbox);
    const reject = await answerAbout(reply.id, "Reject");
    expect(reject).toMatchObject({ actor: world.aliceUri, to: sol.id, target: world.weeknote.url });
    expect(reject.result).toBeUndefined();
    expect(await replyAt(reply.id)).toBeNull();

    // Once they follow the community, they may reply.
    await world.send(follow(sol, world.teamUri), sol, world.teamInbox);
    await eventually(() => world.connexo.store.follows.isFollower(world.team.id, sol.id), 15_000, "sol following the team");
    const again = replyTo(sol, "Now I follow.");
    await world.send(create(sol, again), sol, world.teamInbox);
    expect((await eventually(() => replyAt(again.id), 15_000, "the follower's reply")).state).toBe("visible");
  });

  it("refuses every reply where replies are closed, and an account blocked from the community anywhere", async () => {
    await setPolicy("closed");
    const closed = replyTo(tam, "Closed?");
    await world.send(create(tam, closed), tam, world.teamInbox);
    await answerAbout(closed.id, "Reject");
    expect(await replyAt(closed.id)).toBeNull();

    await setPolicy("open");
    await world.connexo.store.communityBlocks.add({
      communityId: world.team.id,
      actorUri: tam.id,
      reason: "Abuse.",
      createdAt: new Date(),
      createdBy: world.alice.id,
    });
    const blocked = replyTo(tam, "Blocked but trying.");
    await world.send(create(tam, blocked), tam, world.teamInbox);
    await answerAbout(blocked.id, "Reject");
    expect(await replyAt(blocked.id)).toBeNull();
    await world.connexo.store.communityBlocks.remove(world.team.id, tam.id);
  });

  it("answers a ReplyRequest: held, then refused with a Reject naming the request; granted at once where replies are open", async () => {
    const requestFor = (user: FakeUser, reply: Record<string, unknown>) => ({
      "@context": ["https://www.w3.org/ns/activitystreams", GTS],
      type: "ReplyRequest",
      id: `${user.id}/reply_requests/${randomUUID()}`,
      actor: user.id,
      to: world.aliceUri,
      object: world.weeknote.url,
      instrument: reply,
    });
    await setPolicy("newcomers");
    const asked = replyTo(tam, "May I ask something?");
    const request = requestFor(tam, asked);
    await world.send(request, tam, world.teamInbox);
    const held = await eventually(() => replyAt(asked.id), 15_000, "the requested reply");
    expect(held).toMatchObject({ state: "held", requestUri: request.id });
    await world.connexo.services.replies.refuse(world.alice, String(asked.id), "Off topic.");
    const reject = await answerAbout(request.id, "Reject");
    expect(reject.object).toMatchObject({ type: "ReplyRequest", id: request.id, instrument: asked.id, object: world.weeknote.url });
    expect((await replyAt(asked.id))?.state).toBe("refused");

    await setPolicy("open");
    const open = replyTo(tam, "Asking politely where anyone may reply.");
    const granted = requestFor(tam, open);
    await world.send(granted, tam, world.teamInbox);
    const accept = await answerAbout(granted.id, "Accept");
    expect((await replyAt(open.id))?.state).toBe("visible");
    const authorization = (await (await world.connexo.app.request(String(accept.result), { headers: AP })).json()) as Record<
      string,
      unknown
    >;
    expect(authorization).toMatchObject({ type: "ReplyAuthorization", interactingObject: open.id, interactionTarget: world.weeknote.url });
  });

  it("ignores a ReplyRequest whose reply is someone else's", async () => {
    await setPolicy("open");
    const forged = note(nia, { inReplyTo: world.weeknote.url, attributedTo: ravi.id });
    await world.send(
      {
        "@context": ["https://www.w3.org/ns/activitystreams", GTS],
        type: "ReplyRequest",
        id: `${nia.id}/reply_requests/${randomUUID()}`,
        actor: nia.id,
        object: world.weeknote.url,
        instrument: forged,
      },
      nia,
      world.teamInbox,
    );
    await world.settled();
    expect(await replyAt(forged.id)).toBeNull();
  });

  it("applies the thread's policy to a reply to a note written here, and keeps it under the post", async () => {
    const note = await world.connexo.services.interactions.reply(world.alice, world.weeknote.url, "A note from the team.");
    const noteUrl = `${world.connexo.origin}/notes/${note.id}`;
    await setPolicy("closed");
    const sideways = replyTo(nia, "Answering the note instead of the post.", noteUrl);
    await world.send(create(nia, sideways), nia, world.teamInbox);
    await answerAbout(sideways.id, "Reject");
    expect(await replyAt(sideways.id)).toBeNull();

    await setPolicy("open");
    const kept = replyTo(nia, "Answering the note where replies are open.", noteUrl);
    await world.send(create(nia, kept), nia, world.teamInbox);
    expect(await eventually(() => replyAt(kept.id), 15_000, "the reply to the note")).toMatchObject({
      postId: world.weeknote.id,
      inReplyTo: noteUrl,
      state: "visible",
    });
  });

  it("keeps a refused reply refused when it is delivered again, and refuses the held replies that answer it", async () => {
    await setPolicy("newcomers");
    const stranger = world.mastodon.addUser("vic");
    const first = replyTo(stranger, "Held first.");
    await world.send(create(stranger, first), stranger, world.teamInbox);
    await eventually(() => replyAt(first.id), 15_000, "the held reply");
    const second = replyTo(stranger, "Held with it.", String(first.id));
    await world.send(create(stranger, second), stranger, world.teamInbox);
    await eventually(() => replyAt(second.id), 15_000, "the reply to it");
    const heldBefore = (await world.connexo.services.replies.heldCount(world.alice))!;

    await world.connexo.services.replies.refuse(world.alice, String(first.id), "Spam.");
    expect((await replyAt(first.id))?.state).toBe("refused");
    expect((await replyAt(second.id))?.state).toBe("refused");
    await answerAbout(first.id, "Reject");
    await answerAbout(second.id, "Reject");
    expect(await world.connexo.services.replies.heldCount(world.alice)).toBe(heldBefore - 2);

    await world.send(create(stranger, first), stranger, world.teamInbox);
    await world.settled();
    expect((await replyAt(first.id))?.state).toBe("refused");
    expect(await page()).not.toContain("Held first.");
  });
});
