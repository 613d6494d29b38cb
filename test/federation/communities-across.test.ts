import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/types.ts";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

/**
 * A community on A with members on B, and a third instance C that follows
 * it: invited from A, Bob on B accepts, publishes in the community from his
 * own instance, the community announces it to C; his role changes; he
 * leaves. Dave on B asks to join and is accepted, then removed.
 */
describe("a community with members on other instances", () => {
  let a: RunningInstance;
  let b: RunningInstance;
  let c: RunningInstance;
  let alice: Actor;
  let team: Actor;
  let bob: Actor;
  let dave: Actor;
  let teamUri: string;

  const roster = async () => a.services.communityMembers.roster(team, "A");
  const elsewhere = async (person: Actor) => b.services.membershipsElsewhere.of(person);
  const asJson = async (url: string) => (await fetch(url, { headers: { accept: "application/activity+json" } })).json();

  beforeAll(async () => {
    [a, b, c] = await Promise.all([startInstance(), startInstance(), startInstance()]);
    await seedCommunity(a, { person: "alice", community: "team" });
    await seedCommunity(b, { person: "bob", community: "unit" });
    await seedCommunity(c, { person: "carol", community: "readers" });
    alice = (await a.services.actors.find("alice"))!;
    team = (await a.services.actors.find("team"))!;
    bob = (await b.services.actors.find("bob"))!;
    dave = await b.services.actors.createPerson({ handle: "dave", displayName: "Dave Example", password: "a long enough password" });
    teamUri = `${a.origin}/@team`;
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
  });

  it("invites, accepts, publishes through the community, changes the role, and leaves", async () => {
    // C's community follows @team, so it hears what @team shares.
    const readers = (await c.services.actors.find("readers"))!;
    await c.services.follows.requestFollow("readers", teamUri);
    await eventually(async () => (await c.store.follows.countFollowing(readers.id)) === 1, 15_000, "C following the community");

    const invited = await a.services.communityMembers.invite(alice, "team", `${b.origin}/@bob`, "member");
    expect(invited.state).toBe("resolving");
    const invitation = await eventually(async () => (await elsewhere(bob)).find((m) => m.state === "invited"), 15_000, "the Invite on B");
    expect(invitation.community?.uri).toBe(teamUri);
    expect(invitation.role).toBe("member");
    expect((await a.services.communityMembers.find(invited.id))?.channel).toBe("invite");

    await b.services.membershipsElsewhere.answerInvitation(bob, invitation.id, true);
    await eventually(
      async () => (await roster()).some((e) => "personUri" in e.member && e.member.personUri === `${b.origin}/@bob`),
      15_000,
      "Bob a member on A",
    );
    // What other servers see: the members collection with Bob's role and organisation.
    const page = (await asJson(`${teamUri}/members?page=1`)) as { totalItems: number; orderedItems: { subject: string; role: string }[] };
    expect(page.totalItems).toBe(2);
    expect(page.orderedItems.find((m) => m.subject === `${b.origin}/@bob`)?.role).toBe("member");

    // Bob publishes in the community from B; A keeps it and announces it to C.
    const post = await b.services.weeknotes.publish(teamUri, bob, {
      title: "Bins data: week 48",
      summary: "We published the collection rounds as open data.",
      body: "The rounds are **open** now.",
      tags: [],
    });
    expect(post.remoteCommunityId).not.toBeNull();
    const postUri = `${b.origin}/posts/${post.id}`;
    await eventually(
      async () => (await a.store.memberships.communityPosts(team.id, null, 10)).some((p) => p.uri === postUri),
      15_000,
      "the post kept on A",
    );
    await eventually(
      async () => (await c.services.interactions.timeline(readers)).some((p) => p.uri === postUri && p.announcedBy === teamUri),
      15_000,
      "the community's Announce on C",
    );

    // Bob edits it on B: the community shares the Update, and C shows the new title.
    await b.services.weeknotes.edit(post.id, bob, {
      title: "Bins data: week 48, corrected",
      summary: "We published the collection rounds as open data.",
      body: "The rounds are **open** now.",
    });
    await eventually(
      async () =>
        (await c.services.interactions.timeline(readers)).some((p) => p.uri === postUri && p.name === "Bins data: week 48, corrected"),
      15_000,
      "the shared Update on C",
    );

    // A makes Bob a facilitator: B hears of it; the moderators collection names him.
    const member = (await a.services.communityMembers.members(team)).find((m) => m.person?.uri === `${b.origin}/@bob`)!;
    await a.services.communityMembers.manage(alice, "team", member.id, "facilitator");
    await eventually(
      async () => (await elsewhere(bob)).find((m) => m.community?.uri === teamUri)?.role === "facilitator",
      15_000,
      "the role change on B",
    );
    const moderators = (await asJson(`${teamUri}/moderators`)) as { orderedItems: string[] };
    expect(moderators.orderedItems).toContain(`${b.origin}/@bob`);

    // As a facilitator elsewhere, Bob moderates from B: he takes Alice's post out of the community.
    // It stays hers, but leaves the community, and C no longer has the community's boost of it.
    const alicesPost = await a.services.weeknotes.publish("team", alice, {
      title: "Bins data: the council's view",
      summary: "What the rounds data means for us.",
      body: "Our view.",
      tags: [],
    });
    const alicesUri = `${a.origin}/posts/${alicesPost.id}`;
    const onC = async (uri: string) => (await c.services.interactions.timeline(readers)).some((p) => p.uri === uri);
    await eventually(() => onC(alicesUri), 15_000, "Alice's post on C");
    await b.services.membershipsElsewhere.requestWithdrawal(bob, teamUri, alicesUri);
    await eventually(async () => (await a.store.posts.findById(alicesPost.id))?.communityId === null, 15_000, "the Remove on A");
    await eventually(async () => !(await onC(alicesUri)), 15_000, "the community's Undo on C");
    expect((await a.store.posts.findById(alicesPost.id))?.state).toBe("published");

    // Alice, a moderator here, takes Bob's post out of the community: it leaves the community's page and C.
    await a.services.communityMembers.withdrawPost(alice, "team", postUri);
    expect((await a.store.memberships.communityPosts(team.id, null, 10)).some((p) => p.uri === postUri)).toBe(false);
    await eventually(async () => !(await onC(postUri)), 15_000, "the Undo of Bob's post on C");

    // Bob leaves from B: A forgets him.
    const membership = (await elsewhere(bob)).find((m) => m.community?.uri === teamUri)!;
    await b.services.membershipsElsewhere.leave(bob, membership.id);
    await eventually(async () => (await a.services.communityMembers.members(team)).length === 0, 15_000, "the Leave on A");
  });

  it("asks to join, is accepted with the role given, and is removed by a manager", async () => {
    await b.services.membershipsElsewhere.requestJoin(dave, teamUri);
    const request = await eventually(
      async () => (await a.services.communityMembers.members(team)).find((m) => m.state === "requested"),
      15_000,
      "the Join on A",
    );
    expect(request.person?.uri).toBe(`${b.origin}/@dave`);

    await a.services.communityMembers.answerRequest(alice, "team", request.id, true, "observer");
    const joined = await eventually(async () => (await elsewhere(dave)).find((m) => m.state === "active"), 15_000, "the Accept on B");
    expect(joined.role).toBe("observer");

    // An observer may not take posts out: B refuses to ask, and A refuses a request signed by him.
    await expect(b.services.membershipsElsewhere.requestWithdrawal(dave, teamUri, `${a.origin}/posts/x`)).rejects.toThrow();
    expect(await a.services.communityMembers.receiveWithdrawal("team", { uri: `${b.origin}/posts/x` }, `${b.origin}/@dave`)).toBe(false);

    // An observer may not publish: B refuses before anything is sent.
    await expect(
      b.services.weeknotes.publish(teamUri, dave, { title: "Not mine to post", summary: "No.", body: "No.", tags: [] }),
    ).rejects.toThrow();

    await a.services.communityMembers.manage(alice, "team", request.id, null);
    await eventually(async () => (await elsewhere(dave)).length === 0, 15_000, "the Remove on B");
  });
});
