import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AS_PUBLIC, type FakeUser } from "../../helpers/fake-mastodon.ts";
import { eventually } from "../../helpers/instance.ts";
import { create, follow, note, objectIdOf, received, startInboxWorld, type InboxWorld } from "./setup.ts";

const AS = "https://www.w3.org/ns/activitystreams";

/**
 * An account blocked from a community by its moderators (src/services/community-moderation.ts):
 * its Follow of the community (federation/inbox/follow.ts) and its Join
 * (federation/inbox/memberships.ts) are answered with a Reject, and its posts
 * in the community (federation/inbox/create.ts) refused; nothing of them is kept.
 */
describe("inbox: accounts blocked from a community", () => {
  let world: InboxWorld;

  const block = (user: FakeUser) => world.connexo.services.communityModeration.block(world.alice, "team", user.id, "Spam.");
  const followersOfTeam = async () => (await world.connexo.store.follows.followers(world.team.id, null, 100)).items.map((f) => f.uri);
  /** The Accepts and Rejects the fake server received for an activity. */
  const answersTo = (id: unknown) =>
    received(world.mastodon).filter((a) => (a.type === "Accept" || a.type === "Reject") && objectIdOf(a) === id);
  const join = (user: FakeUser) => ({
    "@context": AS,
    id: `${user.id}/activities/join-${randomUUID()}`,
    type: "Join",
    actor: user.id,
    object: world.teamUri,
    to: world.teamUri,
  });
  /** A public post by a member, published in the team (its audience, and addressed to it). */
  const postInTeam = (user: FakeUser, content: string) =>
    create(user, note(user, { to: [AS_PUBLIC, world.teamUri], audience: world.teamUri, content: `<p>${content}</p>` }));
  const teamPosts = async () => (await world.connexo.store.memberships.communityPosts(world.team.id, null, 100)).map((p) => p.uri);

  beforeAll(async () => {
    world = await startInboxWorld(["bert", "jo", "meg"]);
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("answers a blocked account's Follow of the community with Reject, and keeps nothing of it", async () => {
    const bert = world.mastodon.user("bert");
    await block(bert);
    const activity = follow(bert, world.teamUri);
    await world.send(activity, bert, world.teamInbox);
    const answer = await eventually(() => answersTo(activity.id)[0], 15_000, "the answer to bert's Follow");
    expect(answer).toMatchObject({ type: "Reject", actor: world.teamUri });
    await world.settled();
    expect(await followersOfTeam()).not.toContain(bert.id);
    expect(await world.connexo.store.remoteActors.findByUri(bert.id)).toBeNull();
    // Blocked from the team only: following a person here is still accepted.
    const ofAlice = follow(bert, world.aliceUri);
    await world.send(ofAlice, bert);
    expect(await eventually(() => answersTo(ofAlice.id)[0], 15_000, "the answer to bert's Follow of alice")).toMatchObject({
      type: "Accept",
    });
  });

  it("answers a blocked account's Join with Reject, and keeps no request", async () => {
    const jo = world.mastodon.user("jo");
    await block(jo);
    const activity = join(jo);
    await world.send(activity, jo, world.teamInbox);
    const answer = await eventually(() => answersTo(activity.id)[0], 15_000, "the answer to jo's Join");
    expect(answer).toMatchObject({ type: "Reject", actor: world.teamUri });
    await world.settled();
    expect(await world.connexo.store.memberships.memberByActor(world.team.id, jo.id)).toBeNull();
    expect(await world.connexo.store.remoteActors.findByUri(jo.id)).toBeNull();
  });

  it("refuses the posts in the community of a member blocked from it", async () => {
    const meg = world.mastodon.user("meg");
    const { communityMembers } = world.connexo.services;
    await world.send(join(meg), meg, world.teamInbox);
    const asked = await eventually(
      async () => {
        const member = await world.connexo.store.memberships.memberByActor(world.team.id, meg.id);
        return member?.state === "requested" ? member : null;
      },
      15_000,
      "meg's request to join",
    );
    await communityMembers.answerRequest(world.alice, "team", asked.id, true);

    const before = postInTeam(meg, "Before the block.");
    await world.send(before, meg);
    await eventually(async () => (await teamPosts()).includes(objectIdOf(before)!), 15_000, "meg's first post in the team");

    await block(meg);
    const after = postInTeam(meg, "After the block.");
    await world.send(after, meg);
    await world.settled();
    expect(await teamPosts()).not.toContain(objectIdOf(after));
    expect(await world.connexo.store.interactions.findRemotePost(objectIdOf(after)!)).toBeNull();
  });
});
