import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor, MembershipElsewhere, RemoteMember, Role } from "../../../src/domain/types.ts";
import { CONNEXO_NAMESPACE } from "../../../federation/vocab/connexo-context.ts";
import { deliver, type FakeMastodon, type FakeUser } from "../../helpers/fake-mastodon.ts";
import { eventually } from "../../helpers/instance.ts";
import { objectIdOf, received, startInboxWorld, type InboxWorld } from "./setup.ts";

type Json = Record<string, unknown>;
const AS = "https://www.w3.org/ns/activitystreams";
const withoutContext = ({ "@context": _context, ...rest }: Json) => rest;

/** Serves a fake user's actor document as a `Group`, as a community elsewhere is. */
function asGroup(fake: FakeMastodon, user: FakeUser): void {
  fake.routes.set(new URL(user.id).pathname, (_req, res) => {
    res.writeHead(200, { "content-type": "application/activity+json; charset=utf-8" });
    res.end(JSON.stringify({ ...fake.actorDocument(user), type: "Group" }));
  });
}

/** NodeInfo naming the fake server's software, which decides how it is invited. */
function runsSoftware(fake: FakeMastodon, name: string): void {
  fake.routes.set("/.well-known/nodeinfo", (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ links: [{ rel: "http://nodeinfo.diaspora.software/ns/schema/2.0", href: `${fake.origin}/nodeinfo/2.0` }] }));
  });
  fake.routes.set("/nodeinfo/2.0", (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        version: "2.0",
        software: { name, version: "1.0.0" },
        protocols: ["activitypub"],
        services: { outbound: [], inbound: [] },
        usage: { users: {} },
        openRegistrations: false,
        metadata: {},
      }),
    );
  });
}

/** A membership as a group states it: `subject` is in `group` with `role`, its id on the group's host. */
function relationship(group: FakeUser, subject: string, role: Role, id = `${group.id}/members/${randomUUID()}`): Json {
  return { id, type: "Relationship", subject, object: group.id, relationship: `${CONNEXO_NAMESPACE}${role}` };
}

function activity(type: string, actor: FakeUser, fields: Json): Json {
  return { "@context": AS, id: `${actor.id}/activities/${type.toLowerCase()}-${randomUUID()}`, type, actor: actor.id, ...fields };
}

/**
 * federation/inbox/memberships.ts: Invite, Join, Leave, Accept and Reject of
 * our Invite or Join, and Add, Update, Remove of a membership. Each checks
 * who may say what; anything else changes nothing.
 */
describe("inbox: memberships", () => {
  let world: InboxWorld;
  /** Communities elsewhere (Groups on the fake server). */
  let gardeners: FakeUser;
  let weavers: FakeUser;
  /** People on a server that says it runs Connexo: invited by an `Invite`. */
  let cora: FakeUser;
  let dan: FakeUser;
  /** People here besides alice. */
  let bea: Actor;
  let carol: Actor;
  let dora: Actor;

  const uriOf = (person: Actor) => `${world.connexo.origin}/@${person.handle}`;
  const elsewhereOf = (person: Actor) => world.connexo.store.memberships.elsewhereOf(person.id);
  const elsewhereWith = async (person: Actor, group: FakeUser): Promise<MembershipElsewhere | null> =>
    world.connexo.store.memberships.elsewhereByCommunity(person.id, group.id);
  const memberOfTeam = (personUri: string): Promise<RemoteMember | null> =>
    world.connexo.store.memberships.memberByActor(world.team.id, personUri);
  const fakeOf = (user: FakeUser) => (user.id.startsWith(world.mastodon.origin) ? world.mastodon : world.elsewhere!);

  /** A group's Invite of a person here to itself, with the membership offered. */
  const invite = (group: FakeUser, personUri: string, role: Role = "member", fields: Json = {}) =>
    activity("Invite", group, {
      object: group.id,
      target: personUri,
      to: personUri,
      result: relationship(group, personUri, role),
      ...fields,
    });

  /** Has a group elsewhere invite a person here, and waits for the invitation to be kept. */
  const invited = async (group: FakeUser, person: Actor, role: Role = "member") => {
    await world.send(invite(group, uriOf(person), role), group);
    return eventually(async () => (await elsewhereWith(person, group))?.state === "invited", 15_000, `${person.handle} invited`);
  };

  /** A group's Add, Update or Remove of a membership, addressed to the person and the group's followers. */
  const change = (type: "Add" | "Update" | "Remove", group: FakeUser, object: Json) =>
    activity(type, group, { object, target: `${group.id}/members`, to: [object.subject], cc: [group.followers] });

  /** Our community invites a user of the Connexo-speaking fake; returns the membership and the Invite it received. */
  const teamInvites = async (user: FakeUser, role: Role = "member") => {
    const member = await world.connexo.services.communityMembers.invite(world.alice, "team", user.id, role);
    const sent = await eventually(
      async () => {
        const m = await world.connexo.store.memberships.findMember(member.id);
        return m?.state === "invited" ? m : null;
      },
      15_000,
      `the invitation of ${user.username}`,
    );
    const received_ = await eventually(
      () => received(fakeOf(user)).find((a) => a.type === "Invite" && a.id === sent.activityUri),
      15_000,
      `the Invite at ${user.username}'s inbox`,
    );
    return { member: sent, invite: received_ };
  };

  /** A person here asks to join a group elsewhere; returns the Join the group received. */
  const asksToJoin = async (person: Actor, group: FakeUser) => {
    const membership = await world.connexo.services.membershipsElsewhere.requestJoin(person, group.id);
    const join = await eventually(
      () => received(world.mastodon).find((a) => a.type === "Join" && a.actor === uriOf(person) && objectIdOf(a) === group.id),
      15_000,
      `${person.handle}'s Join of ${group.username}`,
    );
    await eventually(
      async () => (await world.connexo.store.memberships.findElsewhere(membership.id))?.state === "requested",
      15_000,
      "the request",
    );
    return { membershipId: membership.id, join };
  };

  beforeAll(async () => {
    world = await startInboxWorld(["mira", "otto", "nia", "pia", "rex", "gardeners", "weavers"], { elsewhere: ["cora", "dan"] });
    gardeners = world.mastodon.user("gardeners");
    weavers = world.mastodon.user("weavers");
    asGroup(world.mastodon, gardeners);
    asGroup(world.mastodon, weavers);
    runsSoftware(world.mastodon, "mastodon");
    runsSoftware(world.elsewhere!, "connexo");
    cora = world.elsewhere!.user("cora");
    dan = world.elsewhere!.user("dan");
    const { actors } = world.connexo.services;
    const person = (handle: string) => actors.createPerson({ handle, displayName: handle, password: "a long enough password" });
    [bea, carol, dora] = await Promise.all([person("bea"), person("carol"), person("dora")]);
  });
  afterAll(async () => {
    await world?.stop();
  });

  describe("Invite", () => {
    it("keeps a community's Invite of a person here, with the role and membership it offers", async () => {
      const activity_ = invite(gardeners, world.aliceUri, "facilitator");
      await world.send(activity_, gardeners, `${world.aliceUri}/inbox`);
      const membership = await eventually(() => elsewhereWith(world.alice, gardeners), 15_000, "alice's invitation");
      expect(membership).toMatchObject({
        state: "invited",
        role: "facilitator",
        activityUri: activity_.id,
        membershipUri: (activity_.result as Json).id,
      });
      expect(membership.community).toMatchObject({ uri: gardeners.id, type: "Group" });
    });

    it("ignores an Invite to another group, from a person, or to a community here", async () => {
      // Gardeners invites carol to weavers.
      await world.send(invite(gardeners, uriOf(carol), "member", { object: weavers.id }), gardeners);
      // Mira, a person, invites carol to herself.
      const mira = world.mastodon.user("mira");
      await world.send(activity("Invite", mira, { object: mira.id, target: uriOf(carol), to: uriOf(carol) }), mira);
      // Gardeners invites @team, a community, as if it were a person.
      await world.send(invite(gardeners, world.teamUri), gardeners);
      await world.settled();
      expect(await elsewhereOf(carol)).toEqual([]);
      expect(await world.connexo.store.memberships.elsewhereOf(world.team.id)).toEqual([]);
    });

    it("takes no role from a membership that is not the invitee's in the inviting group", async () => {
      const forOther = invite(weavers, uriOf(carol), "admin", { result: relationship(weavers, world.aliceUri, "admin") });
      await world.send(forOther, weavers);
      const membership = await eventually(() => elsewhereWith(carol, weavers), 15_000, "carol's invitation");
      expect(membership).toMatchObject({ state: "invited", role: null, membershipUri: null });
    });
  });

  describe("Join", () => {
    it("records a request to join a community here", async () => {
      const mira = world.mastodon.user("mira");
      const join = activity("Join", mira, { object: world.teamUri, to: world.teamUri });
      await world.send(join, mira, world.teamInbox);
      const member = await eventually(() => memberOfTeam(mira.id), 15_000, "mira's request");
      expect(member).toMatchObject({ state: "requested", role: "member", activityUri: join.id });
      expect(await world.connexo.store.memberships.activeRole(world.team.id, mira.id)).toBeNull();
    });

    it("makes someone already invited a member at once, and accepts their Join", async () => {
      const pia = world.mastodon.user("pia");
      const invitation = await world.connexo.services.communityMembers.invite(world.alice, "team", pia.id, "facilitator");
      await eventually(
        async () => (await world.connexo.store.memberships.findMember(invitation.id))?.state === "invited",
        15_000,
        "pia invited",
      );
      const join = activity("Join", pia, { object: world.teamUri });
      await world.send(join, pia, world.teamInbox);
      await eventually(async () => (await memberOfTeam(pia.id))?.state === "active", 15_000, "pia a member");
      expect(await world.connexo.store.memberships.activeRole(world.team.id, pia.id)).toBe("facilitator");
      const accept = await eventually(
        () => received(world.mastodon).find((a) => a.type === "Accept" && objectIdOf(a) === join.id),
        15_000,
        "the Accept of pia's Join",
      );
      expect(accept.actor).toBe(world.teamUri);
    });

    it("ignores a Join of a person, or of a community elsewhere", async () => {
      const nia = world.mastodon.user("nia");
      await world.send(activity("Join", nia, { object: world.aliceUri }), nia, `${world.aliceUri}/inbox`);
      await world.send(activity("Join", nia, { object: gardeners.id }), nia);
      await world.settled();
      expect(await world.connexo.store.memberships.membersOf(world.alice.id)).toEqual([]);
      expect(await memberOfTeam(nia.id)).toBeNull();
    });
  });

  describe("Leave", () => {
    it("ends a request to join, or a membership, when the person leaves", async () => {
      const rex = world.mastodon.user("rex");
      await world.send(activity("Join", rex, { object: world.teamUri }), rex, world.teamInbox);
      await eventually(async () => (await memberOfTeam(rex.id))?.state === "requested", 15_000, "rex's request");
      await world.send(activity("Leave", rex, { object: world.teamUri }), rex, world.teamInbox);
      await eventually(async () => (await memberOfTeam(rex.id)) === null, 15_000, "rex's request withdrawn");

      const pia = world.mastodon.user("pia"); // a member since her Join above
      expect((await memberOfTeam(pia.id))?.state).toBe("active");
      await world.send(activity("Leave", pia, { object: world.teamUri }), pia, world.teamInbox);
      await eventually(async () => (await memberOfTeam(pia.id)) === null, 15_000, "pia gone");
      expect(await world.connexo.store.memberships.activeRole(world.team.id, pia.id)).toBeNull();
    });

    it("ignores a Leave by someone else, or of a person", async () => {
      const mira = world.mastodon.user("mira");
      const otto = world.mastodon.user("otto");
      expect((await memberOfTeam(mira.id))?.state).toBe("requested");
      // Otto leaves @team, which only otto can do for himself: mira's request stands.
      await world.send(activity("Leave", otto, { object: world.teamUri }), otto, world.teamInbox);
      // Mira "leaves" alice, a person.
      await world.send(activity("Leave", mira, { object: world.aliceUri }), mira);
      // A Leave claiming to be mira's, signed by otto, is refused at the door.
      const forged = await deliver(world.teamInbox, activity("Leave", mira, { object: world.teamUri }), mira, { signAs: otto });
      expect(forged.status).toBe(401);
      await world.settled();
      expect((await memberOfTeam(mira.id))?.state).toBe("requested");
    });
  });

  describe("Accept and Reject of our Invite", () => {
    it("makes the invitee a member when they accept, and no one else's Accept", async () => {
      const { member, invite: sent } = await teamInvites(cora, "facilitator");
      expect(member.channel).toBe("invite");
      expect(sent).toMatchObject({ actor: world.teamUri, object: world.teamUri, target: cora.id });

      await world.send(activity("Accept", dan, { object: sent.id }), dan, world.teamInbox);
      await world.settled();
      expect((await world.connexo.store.memberships.findMember(member.id))?.state).toBe("invited");

      await world.send(activity("Accept", cora, { object: sent.id }), cora, world.teamInbox);
      await eventually(
        async () => (await world.connexo.store.memberships.findMember(member.id))?.state === "active",
        15_000,
        "cora a member",
      );
      expect(await world.connexo.store.memberships.activeRole(world.team.id, cora.id)).toBe("facilitator");
      expect(await world.connexo.store.memberships.activeRole(world.team.id, dan.id)).toBeNull();
    });

    it("drops the invitation when the invitee rejects it, and not on someone else's Reject", async () => {
      const { member, invite: sent } = await teamInvites(dan);
      await world.send(activity("Reject", cora, { object: sent.id }), cora, world.teamInbox);
      await world.settled();
      expect((await world.connexo.store.memberships.findMember(member.id))?.state).toBe("invited");
      // Cora's own membership is untouched by her Reject of someone else's invitation.
      expect(await world.connexo.store.memberships.activeRole(world.team.id, cora.id)).toBe("facilitator");

      await world.send(activity("Reject", dan, { object: sent.id }), dan, world.teamInbox);
      await eventually(
        async () => (await world.connexo.store.memberships.findMember(member.id)) === null,
        15_000,
        "dan's invitation dropped",
      );
      expect(await memberOfTeam(dan.id)).toBeNull();
    });
  });

  describe("Accept and Reject of our Join", () => {
    it("makes the person a member with the role the group gives, on the group's own Accept only", async () => {
      const { membershipId, join } = await asksToJoin(bea, gardeners);
      // Weavers accepts bea's Join of gardeners: nothing changes.
      await world.send(activity("Accept", weavers, { object: join.id, result: relationship(weavers, uriOf(bea), "admin") }), weavers);
      await world.settled();
      expect(await world.connexo.store.memberships.findElsewhere(membershipId)).toMatchObject({ state: "requested", role: null });

      const granted = relationship(gardeners, uriOf(bea), "facilitator");
      await world.send(activity("Accept", gardeners, { object: withoutContext(join), result: granted }), gardeners);
      await eventually(
        async () => (await world.connexo.store.memberships.findElsewhere(membershipId))?.state === "active",
        15_000,
        "bea a member",
      );
      expect(await world.connexo.store.memberships.findElsewhere(membershipId)).toMatchObject({
        role: "facilitator",
        membershipUri: granted.id,
      });
    });

    it("drops the request on the group's own Reject only", async () => {
      const { membershipId, join } = await asksToJoin(bea, weavers);
      await world.send(activity("Reject", gardeners, { object: join.id }), gardeners);
      await world.settled();
      expect((await world.connexo.store.memberships.findElsewhere(membershipId))?.state).toBe("requested");
      // Bea's membership of gardeners is untouched by its Reject of another group's Join.
      expect((await elsewhereWith(bea, gardeners))?.state).toBe("active");

      await world.send(activity("Reject", weavers, { object: join.id }), weavers);
      await eventually(
        async () => (await world.connexo.store.memberships.findElsewhere(membershipId)) === null,
        15_000,
        "the request dropped",
      );
    });
  });

  describe("Add, Update and Remove of a membership", () => {
    beforeAll(async () => {
      await invited(gardeners, dora);
      await invited(weavers, dora);
    });

    it("Add: the group's own makes the invited person a member; another group's changes nothing", async () => {
      // Weavers says dora is in gardeners.
      await world.send(change("Add", weavers, relationship(gardeners, uriOf(dora), "admin")), weavers);
      // An Add of someone who never agreed to anything.
      await world.send(change("Add", gardeners, relationship(gardeners, uriOf(carol), "member")), gardeners);
      await world.settled();
      expect((await elsewhereWith(dora, gardeners))?.state).toBe("invited");
      expect((await elsewhereWith(dora, weavers))?.state).toBe("invited");
      expect(await elsewhereWith(carol, gardeners)).toBeNull();

      const added = relationship(gardeners, uriOf(dora), "member");
      await world.send(change("Add", gardeners, added), gardeners);
      await eventually(async () => (await elsewhereWith(dora, gardeners))?.state === "active", 15_000, "dora in gardeners");
      expect(await elsewhereWith(dora, gardeners)).toMatchObject({ role: "member", membershipUri: added.id });
      expect((await elsewhereWith(dora, weavers))?.state).toBe("invited");
      await world.send(change("Add", weavers, relationship(weavers, uriOf(dora), "member")), weavers);
      await eventually(async () => (await elsewhereWith(dora, weavers))?.state === "active", 15_000, "dora in weavers");
    });

    it("Update: the group's own changes the role; another group's, or a person's, changes nothing", async () => {
      await world.send(change("Update", weavers, relationship(gardeners, uriOf(dora), "admin")), weavers);
      const mira = world.mastodon.user("mira");
      await world.send(change("Update", mira, relationship(gardeners, uriOf(dora), "admin")), mira);
      await world.settled();
      expect((await elsewhereWith(dora, gardeners))?.role).toBe("member");
      expect((await elsewhereWith(dora, weavers))?.role).toBe("member");

      await world.send(change("Update", gardeners, relationship(gardeners, uriOf(dora), "facilitator")), gardeners);
      await eventually(async () => (await elsewhereWith(dora, gardeners))?.role === "facilitator", 15_000, "dora a facilitator");
      expect((await elsewhereWith(dora, weavers))?.role).toBe("member");
    });

    it("Remove: the group's own ends the membership; another group's, or a person's, changes nothing", async () => {
      await world.send(change("Remove", weavers, relationship(gardeners, uriOf(dora), "facilitator")), weavers);
      const mira = world.mastodon.user("mira");
      await world.send(change("Remove", mira, relationship(gardeners, uriOf(dora), "facilitator")), mira);
      await world.settled();
      expect(await elsewhereWith(dora, gardeners)).toMatchObject({ state: "active", role: "facilitator" });
      expect((await elsewhereWith(dora, weavers))?.state).toBe("active");

      await world.send(change("Remove", gardeners, relationship(gardeners, uriOf(dora), "facilitator")), gardeners);
      await eventually(async () => (await elsewhereWith(dora, gardeners)) === null, 15_000, "dora out of gardeners");
      expect((await elsewhereWith(dora, weavers))?.state).toBe("active");
    });
  });
  describe("Remove of a post from a community here", () => {
    it("takes a post out at a moderator elsewhere's request, and at no one else's", async () => {
      const { actors, weeknotes, communityMembers } = world.connexo.services;
      const otto = world.mastodon.user("otto");
      const rex = world.mastodon.user("rex");
      // Otto is a facilitator elsewhere (asked to join, accepted as one); Rex a plain member.
      for (const [user, role] of [
        [otto, "facilitator"],
        [rex, "member"],
      ] as const) {
        await world.send(activity("Join", user, { object: world.teamUri }), user, world.teamInbox);
        const request = await eventually(() => memberOfTeam(user.id), 15_000, `${user.username}'s request`);
        await communityMembers.answerRequest(world.alice, "team", request.id, true, role);
      }
      const post = await weeknotes.publish("team", world.alice, { title: "Ours", summary: "Ours.", body: "Ours.", tags: [] });
      const postUri = `${world.connexo.origin}/posts/${post.id}`;
      const removal = (by: FakeUser) => activity("Remove", by, { object: postUri, target: world.teamUri, to: world.teamUri });

      await world.send(removal(rex), rex, world.teamInbox);
      await world.settled();
      expect((await world.connexo.store.posts.findById(post.id))?.communityId).toBe(world.team.id);

      await world.send(removal(otto), otto, world.teamInbox);
      await eventually(async () => (await world.connexo.store.posts.findById(post.id))?.communityId === null, 15_000, "the post out");
      const kept = (await world.connexo.store.posts.findById(post.id))!;
      expect(kept).toMatchObject({ state: "published", authorId: (await actors.find("alice"))!.id });
    });
  });
});
