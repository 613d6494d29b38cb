import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MASTODON_ACTIVITY_CONTEXT, type FakeUser } from "../../helpers/fake-mastodon.ts";
import { page } from "../../helpers/html.ts";
import { eventually } from "../../helpers/instance.ts";
import { announce, note, servedAsGroup, startInboxWorld, type InboxWorld } from "./setup.ts";

type Json = Record<string, unknown>;

/**
 * federation/inbox/referral.ts: a community on another Connexo instance
 * refers a reply to its consultation to a community here, with an
 * `Announce` addressed to that community that says why (its `content`) and
 * from which record (its `context`). It is filed with the community's
 * referred input, once; a boost, which says nothing and is addressed to the
 * public, is still a boost.
 */
describe("inbox: a reply referred to a community here", () => {
  let world: InboxWorld;
  /** A community on the other instance, whose consultation mira answered. */
  let council: FakeUser;
  let mira: FakeUser;
  let recordUrl: string;

  const referred = () => world.connexo.store.outcomes.referredTo(world.team.id, 10);
  /** Mira's reply to the council's record, served by their server at its id. */
  const miraReplies = (content: string) => {
    const reply = note(mira, { inReplyTo: recordUrl, content });
    world.mastodon.documents.set(new URL(String(reply.id)).pathname, { "@context": MASTODON_ACTIVITY_CONTEXT, ...reply });
    return reply;
  };
  /** The council's referral of a reply, as Connexo sends it: to the community alone, with why and the record. */
  const referral = (object: string, to: string, fields: Json = {}): Json => ({
    ...announce(council, object),
    to: [to],
    cc: [],
    content: "The opening hours are yours to set.",
    context: recordUrl,
    ...fields,
  });

  beforeAll(async () => {
    world = await startInboxWorld(["council", "mira"]);
    council = world.mastodon.user("council");
    mira = world.mastodon.user("mira");
    servedAsGroup(world.mastodon, council, "The council");
    recordUrl = `${world.mastodon.origin}/decisions/${randomUUID()}`;
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("files the reply, as its server serves it, with who referred it, why and from which record, and lists it", async () => {
    const reply = miraReplies("<p>Open the reading room late on Thursdays.</p>");
    // Named by its id, as Connexo sends it: what is filed is what the reply's server serves.
    await world.send(referral(String(reply.id), world.teamUri), council, world.teamInbox);
    const [filed] = await eventually(
      async () => {
        const found = await referred();
        return found.length === 1 ? found : null;
      },
      15_000,
      "the referral",
    );
    expect(filed).toMatchObject({
      communityId: world.team.id,
      objectUri: reply.id,
      objectUrl: reply.url,
      authorUri: mira.id,
      authorName: "Mira Mastodon",
      note: "The opening hours are yours to set.",
      referredByUri: council.id,
      referredByName: "The council",
      recordUri: recordUrl,
    });
    expect(filed!.contentHtml).toContain("Open the reading room late on Thursdays.");

    const shown = page(await (await world.connexo.app.request(`${world.teamUri}/referred`)).text());
    expect(shown.texts(".input-list h2")).toEqual(["From Mira Mastodon"]);
    expect(shown.text(".input-list .prose")).toContain("Open the reading room late on Thursdays.");
    expect(shown.text(".referral-note")).toBe("Why: The opening hours are yours to set.");
    expect(shown.text(`.meta a[href="${recordUrl}"]`)).toBe("the consultation");
    expect(shown.text(".meta")).toMatch(/^Referred by The council from the consultation/);
  });

  it("files a reply referred twice once", async () => {
    const before = (await referred()).length;
    const reply = miraReplies("<p>Referred twice.</p>");
    const activity = referral(String(reply.id), world.teamUri);
    // The same Announce at two inboxes, then the referral sent again with an id of its own.
    await world.send(activity, council, world.teamInbox);
    await world.send(activity, council, world.sharedInbox);
    await world.send(referral(String(reply.id), world.teamUri), council);
    await world.settled();
    const after = await referred();
    expect(after).toHaveLength(before + 1);
    expect(after.filter((r) => r.objectUri === reply.id)).toHaveLength(1);
  });

  it("counts a plain boost of a post here as a boost, and files nothing", async () => {
    const before = { counts: await world.connexo.store.interactions.countReactions(world.weeknote.id), filed: (await referred()).length };
    await world.send({ ...announce(council, world.weeknote.url), cc: [world.teamUri, council.followers] }, council);
    await eventually(
      async () => (await world.connexo.store.interactions.reactors(world.weeknote.id, "announce")).includes(council.id),
      15_000,
      "the boost",
    );
    expect(await world.connexo.store.interactions.countReactions(world.weeknote.id)).toEqual({
      ...before.counts,
      announces: before.counts.announces + 1,
    });
    expect(await referred()).toHaveLength(before.filed);
  });

  it("files nothing for a referral addressed to a person, not a community", async () => {
    const before = (await referred()).length;
    const reply = miraReplies("<p>Meant for a person.</p>");
    await world.send(referral(String(reply.id), world.aliceUri), council, world.sharedInbox);
    await world.settled();
    expect(await referred()).toHaveLength(before);
    expect(await world.connexo.store.outcomes.referredTo(world.alice.id, 10)).toEqual([]);
    // A referral to a community in the same form is filed: what differed was only whom it was for.
    await world.send(referral(String(reply.id), world.teamUri), council, world.sharedInbox);
    await eventually(async () => (await referred()).some((r) => r.objectUri === reply.id), 15_000, "the same referral to the community");
  });

  it("files nothing referred by a person, or by a community blocked from ours", async () => {
    const reply = miraReplies("<p>Referred by the wrong people.</p>");
    // Mira is a person: her Announce with words is not a referral, and files nothing.
    await world.send({ ...referral(String(reply.id), world.teamUri), actor: mira.id, id: `${mira.id}/referrals/1` }, mira, world.teamInbox);
    await world.settled();
    expect((await referred()).some((r) => r.objectUri === reply.id)).toBe(false);
    // The council, once blocked from the team, refers nothing to it either.
    await world.connexo.store.communityBlocks.add({
      communityId: world.team.id,
      actorUri: council.id,
      reason: "Spam",
      createdAt: new Date(),
      createdBy: null,
    });
    await world.send(referral(String(reply.id), world.teamUri), council, world.teamInbox);
    await world.settled();
    expect((await referred()).some((r) => r.objectUri === reply.id)).toBe(false);
    await world.connexo.store.communityBlocks.remove(world.team.id, council.id);
  });
});
