import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor, RemoteMember } from "../../src/domain/types.ts";
import { MESSAGE_INVITATION_DAYS } from "../../src/services/community-members.ts";
import { queryRows } from "../helpers/database.ts";
import {
  AS_PUBLIC,
  deliver,
  FakeMastodon,
  MASTODON_ACTIVITY_CONTEXT,
  verifyWithPublishedKey,
  type FakeUser,
} from "../helpers/fake-mastodon.ts";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

type Json = Record<string, unknown>;
const DAY = 86_400_000;

/** Serves WebFinger and NodeInfo on a fake server as Mastodon does (software "mastodon"). */
function speakAsMastodon(fake: FakeMastodon): void {
  const host = new URL(fake.origin).host;
  const json = (res: ServerResponse, body: unknown, type = "application/json; charset=utf-8") => {
    res.writeHead(200, { "content-type": type });
    res.end(JSON.stringify(body));
  };
  fake.routes.set("/.well-known/nodeinfo", (_req, res) =>
    json(res, { links: [{ rel: "http://nodeinfo.diaspora.software/ns/schema/2.0", href: `${fake.origin}/nodeinfo/2.0` }] }),
  );
  fake.routes.set("/nodeinfo/2.0", (_req, res) =>
    json(
      res,
      {
        version: "2.0",
        software: { name: "mastodon", version: "4.3.0" },
        protocols: ["activitypub"],
        services: { outbound: [], inbound: [] },
        usage: { users: { total: fake.users.size, activeMonth: 1, activeHalfyear: 1 }, localPosts: 12 },
        openRegistrations: false,
        metadata: {},
      },
      'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.0#"; charset=utf-8',
    ),
  );
  for (const user of fake.users.values()) {
    const resource = `acct:${user.username}@${host}`;
    const answer = {
      subject: resource,
      aliases: [user.id, `${fake.origin}/@${user.username}`],
      links: [
        { rel: "http://webfinger.net/rel/profile-page", type: "text/html", href: `${fake.origin}/@${user.username}` },
        { rel: "self", type: "application/activity+json", href: user.id },
      ],
    };
    for (const query of [resource, encodeURIComponent(resource)]) {
      fake.routes.set(`/.well-known/webfinger?resource=${query}`, (_req, res) => json(res, answer, "application/jrd+json; charset=utf-8"));
    }
  }
}

/** Every activity the fake server received, parsed, each once (a refused first knock is sent again). */
function received(fake: FakeMastodon): Json[] {
  const seen = new Map<string, Json>();
  for (const post of fake.inboxPosts) {
    const activity = JSON.parse(post.body) as Json;
    seen.set(String(activity.id ?? post.body), activity);
  }
  return [...seen.values()];
}

const ids = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).map((v) =>
    typeof v === "string" ? v : String((v as { id?: string }).id),
  );
const objectId = (activity: Json) => ids(activity.object)[0];

/**
 * Members on Mastodon: invited by a direct message they accept by favouriting
 * or answering it within 14 days, then publishing in the community by
 * mentioning it, which the community announces to its followers.
 */
describe("Mastodon members of a community", () => {
  let connexo: RunningInstance;
  let mastodon: FakeMastodon;
  /** Moves the instance's clock on (the services and the queues read it). */
  let offset = 0;
  let alice: Actor;
  let team: Actor;
  let teamUri: string;
  let teamInbox: string;
  /** Follows @team, to receive what it announces. */
  let fan: FakeUser;

  const posts = () => connexo.store.memberships.communityPosts(team.id, null, 100);
  const memberOf = (personUri: string) => connexo.store.memberships.memberByActor(team.id, personUri);

  /** Waits until both queues are empty: everything received has been handled, and what it called for sent. */
  const settled = () =>
    eventually(
      async () => {
        const [row] = await queryRows<{ n: number }>(
          connexo.database,
          "SELECT count(*) AS n FROM queue_messages WHERE queue IN ('fedify', 'events')",
        );
        return Number(row!.n) === 0;
      },
      20_000,
      "the queues to drain",
    );

  const send = async (activity: Json, from: FakeUser, inbox = teamInbox) => {
    const response = await deliver(inbox, activity, from);
    expect(response.status, `delivering ${JSON.stringify(activity).slice(0, 160)}`).toBe(202);
  };

  /** Invites a fake user by actor URL and returns the membership once the invitation is sent, and the Create the user received. */
  const invite = async (user: FakeUser, role = "member"): Promise<{ member: RemoteMember; create: Json; note: Json }> => {
    const invited = await connexo.services.communityMembers.invite(alice, "team", user.id, role);
    expect(invited.state).toBe("resolving");
    const member = await eventually(
      async () => {
        const m = await connexo.store.memberships.findMember(invited.id);
        return m?.state === "invited" ? m : null;
      },
      15_000,
      `the invitation of ${user.username}`,
    );
    const create = await eventually(
      () => received(mastodon).find((a) => a.type === "Create" && objectId(a) === member.activityUri),
      15_000,
      `the invitation message at ${user.username}'s inbox`,
    );
    return { member, create, note: create.object as Json };
  };

  const like = (actor: FakeUser, object: string): Json => ({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${actor.id}#likes/${randomUUID()}`,
    type: "Like",
    actor: actor.id,
    object,
  });

  const create = (actor: FakeUser, fields: Json): Json => {
    const id = `${actor.id}/statuses/${randomUUID()}`;
    const note = {
      id,
      type: "Note",
      attributedTo: actor.id,
      url: `${mastodon.origin}/@${actor.username}/${id.slice(-12)}`,
      to: [AS_PUBLIC],
      cc: [actor.followers],
      content: "<p>Hello.</p>",
      published: new Date().toISOString(),
      ...fields,
    };
    return {
      "@context": MASTODON_ACTIVITY_CONTEXT,
      id: `${id}/activity`,
      type: "Create",
      actor: actor.id,
      to: note.to,
      cc: note.cc,
      object: note,
    };
  };

  /** A public post that mentions @team and addresses it, as Mastodon writes one. */
  const mentioning = (actor: FakeUser, text: string): Json =>
    create(actor, {
      to: [AS_PUBLIC],
      cc: [actor.followers, teamUri],
      content: `<p><span class="h-card"><a href="${connexo.origin}/@team" class="u-url mention">@<span>team</span></a></span> ${text}</p>`,
      tag: [{ type: "Mention", href: teamUri, name: `@team@${new URL(connexo.origin).host}` }],
    });

  const announcesOf = (postUri: string) => received(mastodon).filter((a) => a.type === "Announce" && objectId(a) === postUri);

  beforeAll(async () => {
    [connexo, mastodon] = await Promise.all([
      startInstance({}, { now: () => Date.now() + offset }),
      FakeMastodon.start(["mira", "otto", "nia", "olga", "remy", "exa", "fan"]),
    ]);
    speakAsMastodon(mastodon);
    const seeded = await seedCommunity(connexo, { person: "alice", community: "team" });
    alice = seeded.person;
    team = seeded.community;
    teamUri = `${connexo.origin}/@team`;
    teamInbox = `${connexo.origin}/@team/inbox`;
    fan = mastodon.user("fan");
    await send(
      { "@context": "https://www.w3.org/ns/activitystreams", id: `${fan.id}#follows/1`, type: "Follow", actor: fan.id, object: teamUri },
      fan,
    );
    await eventually(async () => (await connexo.store.follows.countFollowers(team.id)) === 1, 15_000, "fan following @team");
  });
  afterAll(async () => {
    await Promise.all([connexo?.stop(), mastodon?.close()]);
  });

  it("invites a Mastodon user by a direct message they can favourite or answer for 14 days", async () => {
    const mira = mastodon.user("mira");
    const before = Date.now() + offset;
    const { member, create: message, note } = await invite(mira);
    const after = Date.now() + offset;

    // The server was asked what software it runs before choosing how to invite.
    expect(mastodon.gets).toContain("/.well-known/nodeinfo");
    expect(member).toMatchObject({ state: "invited", channel: "message", role: "member" });
    expect(member.person?.uri).toBe(mira.id);
    expect(member.activityUri).toBe(`${connexo.origin}/activities/invitation-${member.id}`);
    const expires = member.expiresAt!.getTime();
    expect(expires).toBeGreaterThanOrEqual(before + MESSAGE_INVITATION_DAYS * DAY - 1000);
    expect(expires).toBeLessThanOrEqual(after + MESSAGE_INVITATION_DAYS * DAY + 1000);

    // A signed Create of a Note by the community, to mira alone, at mira's inbox.
    // Fedify's first knock (RFC 9421) is refused; the draft-cavage retry follows it, perhaps a moment later.
    const signedDelivery = () => mastodon.signedPosts().filter((r) => r.status === 202 && (JSON.parse(r.body) as Json).id === message.id);
    const delivered = await eventually(async () => (signedDelivery().length > 0 ? signedDelivery() : null), 15_000, "the signed delivery");
    expect(delivered.map((r) => r.path)).toContain("/users/mira/inbox");
    expect(await verifyWithPublishedKey(delivered[0]!)).toMatchObject({ ok: true, owner: teamUri });
    expect(message.actor).toBe(teamUri);
    expect(note.type).toBe("Note");
    expect(note.id).toBe(member.activityUri);
    expect(note.attributedTo).toBe(teamUri);
    for (const addressed of [message, note]) {
      expect(ids(addressed.to)).toEqual([mira.id]);
      expect(ids(addressed.cc)).toEqual([]);
      expect(ids(addressed.bto)).toEqual([]);
      expect(ids(addressed.bcc)).toEqual([]);
    }
    const tags = (Array.isArray(note.tag) ? note.tag : [note.tag]) as Json[];
    expect(tags).toContainEqual(expect.objectContaining({ type: "Mention", href: mira.id }));
    const text = String(note.content);
    expect(text).toContain(alice.displayName);
    expect(text).toContain(team.displayName);
    expect(text).toContain("as a member");
    expect(text).toContain("favourite");
    expect(text).toContain("reply");
    expect(text).toContain(new Date(expires).toISOString().slice(0, 10));
    // The note answers at its id, for Mastodon to fetch.
    const fetched = await fetch(String(note.id), { headers: { accept: "application/activity+json" } });
    expect(fetched.status).toBe(200);
    expect(((await fetched.json()) as Json).type).toBe("Note");
  });

  it("makes the invitee a member when they favourite the message, and no one else's favourite", async () => {
    const otto = mastodon.user("otto");
    const nia = mastodon.user("nia");
    const { member } = await invite(otto);
    // Nia favourites otto's invitation: nothing changes, and nia is in nothing.
    await send(like(nia, member.activityUri!), nia);
    await settled();
    expect((await connexo.store.memberships.findMember(member.id))?.state).toBe("invited");
    expect(await connexo.store.memberships.activeRole(team.id, nia.id)).toBeNull();
    expect(await memberOf(nia.id)).toBeNull();

    await send(like(otto, member.activityUri!), otto);
    await eventually(async () => (await connexo.store.memberships.findMember(member.id))?.state === "active", 15_000, "otto a member");
    expect(await connexo.store.memberships.activeRole(team.id, otto.id)).toBe("member");
    // The community tells its followers who joined.
    await eventually(
      () => received(mastodon).find((a) => a.type === "Add" && (a.object as Json)?.subject === otto.id),
      15_000,
      "the Add of otto's membership",
    );
  });

  it("makes the invitee a member when they reply to the message", async () => {
    const olga = mastodon.user("olga");
    const { member, note } = await invite(olga, "facilitator");
    const reply = create(olga, {
      to: [teamUri],
      cc: [],
      inReplyTo: note.id,
      content: `<p><span class="h-card"><a href="${teamUri}" class="u-url mention">@team</a></span> Yes, gladly.</p>`,
      tag: [{ type: "Mention", href: teamUri, name: `@team@${new URL(connexo.origin).host}` }],
    });
    await send(reply, olga);
    await eventually(async () => (await connexo.store.memberships.findMember(member.id))?.state === "active", 15_000, "olga a member");
    expect(await connexo.store.memberships.activeRole(team.id, olga.id)).toBe("facilitator");
  });

  it("keeps and announces a member's public post that mentions the community, and no one else's", async () => {
    const otto = mastodon.user("otto"); // a member since the favourite above
    expect(await connexo.store.memberships.activeRole(team.id, otto.id)).toBe("member");
    const nia = mastodon.user("nia");
    const remy = mastodon.user("remy");
    const exa = mastodon.user("exa");

    // Remy is an observer: in the community, but may not publish.
    const { member: observer } = await invite(remy, "observer");
    await send(like(remy, observer.activityUri!), remy);
    await eventually(async () => (await connexo.store.memberships.activeRole(team.id, remy.id)) === "observer", 15_000, "remy an observer");

    const byStranger = mentioning(nia, "Not a member, posting anyway.");
    const byObserver = mentioning(remy, "Observers only watch.");
    // A post naming @team as its audience (as a Connexo member's would), by someone who is not a member.
    const forged = create(exa, {
      to: [AS_PUBLIC, teamUri],
      cc: [exa.followers],
      audience: teamUri,
      content: "<p>Claiming to publish in the team.</p>",
    });
    for (const [activity, from] of [
      [byStranger, nia],
      [byObserver, remy],
      [forged, exa],
    ] as const) {
      await send(activity, from);
    }
    const byMember = mentioning(otto, "Minutes of Tuesday's meeting are up.");
    await send(byMember, otto);

    const memberPostUri = objectId(byMember)!;
    const announce = await eventually(() => announcesOf(memberPostUri)[0], 20_000, "the Announce of otto's post");
    expect(announce.actor).toBe(teamUri);
    expect(ids(announce.to)).toContain(AS_PUBLIC);
    expect(ids(announce.cc)).toContain(`${teamUri}/followers`);
    const kept = await posts();
    expect(kept.map((p) => p.uri)).toContain(memberPostUri);
    const post = kept.find((p) => p.uri === memberPostUri)!;
    expect(post.author?.uri).toBe(otto.id);
    expect(post.contentHtml).toContain("Minutes of Tuesday");
    // Announced to fan, who follows @team: the signed delivery reached fan's server.
    const reachedFan = () =>
      mastodon
        .signedPosts()
        .some(
          (r) =>
            r.status === 202 && (JSON.parse(r.body) as Json).id === announce.id && (r.path === "/inbox" || r.path === "/users/fan/inbox"),
        );
    await eventually(async () => reachedFan(), 15_000, "the signed Announce at fan's server");

    await settled();
    for (const refused of [byStranger, byObserver, forged]) {
      const uri = objectId(refused)!;
      expect(kept.map((p) => p.uri)).not.toContain(uri);
      expect(announcesOf(uri)).toEqual([]);
    }
    expect((await posts()).map((p) => p.uri)).toEqual([memberPostUri]);

    // Delivered again: kept and announced once.
    await send(byMember, otto, `${connexo.origin}/inbox`);
    await settled();
    expect((await posts()).map((p) => p.uri)).toEqual([memberPostUri]);
    expect(new Set(announcesOf(memberPostUri).map((a) => a.id)).size).toBe(1);
  });

  it("lets an invitation by message lapse after 14 days", async () => {
    const nia = mastodon.user("nia");
    const { member } = await invite(nia);
    offset += (MESSAGE_INVITATION_DAYS + 1) * DAY;
    await send(like(nia, member.activityUri!), nia);
    const reply = create(nia, { to: [teamUri], cc: [], inReplyTo: member.activityUri, content: "<p>Yes please.</p>" });
    await send(reply, nia);
    await settled();
    expect((await connexo.store.memberships.findMember(member.id))?.state).toBe("invited");
    expect(await connexo.store.memberships.activeRole(team.id, nia.id)).toBeNull();
  });
});
