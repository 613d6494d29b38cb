import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { Actor } from "../../../src/domain/types.ts";
import { queryRows } from "../../helpers/database.ts";
import { AS_PUBLIC, deliver, FakeMastodon, MASTODON_ACTIVITY_CONTEXT, type FakeUser } from "../../helpers/fake-mastodon.ts";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../../helpers/instance.ts";

/**
 * Shared setup for the inbox specs (one per listener in federation/inbox/):
 * one Connexo instance, a fake Mastodon with the given users (and, if asked,
 * a second fake host for objects that claim to live elsewhere), and a
 * community @team with its admin @alice and one published weeknote.
 */
export interface InboxWorld {
  connexo: RunningInstance;
  mastodon: FakeMastodon;
  /** A second host; only when started with `elsewhere`. */
  elsewhere: FakeMastodon | null;
  alice: Actor;
  team: Actor;
  weeknote: { id: string; url: string };
  aliceUri: string;
  teamUri: string;
  teamInbox: string;
  sharedInbox: string;
  /** POSTs a signed activity (signed as `from`) to an inbox (the shared one by default) and expects 202. */
  send(activity: object, from: FakeUser, inbox?: string): Promise<void>;
  /** Waits until Fedify's queue is empty: everything delivered so far has been handled (and anything it sent, sent). */
  settled(): Promise<void>;
  /** Has a local actor (@alice by default) follow a fake user, and the user accept. */
  followFake(user: FakeUser, localHandle?: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startInboxWorld(usernames: string[], options: { elsewhere?: string[] } = {}): Promise<InboxWorld> {
  const [connexo, mastodon, elsewhere] = await Promise.all([
    startInstance(),
    FakeMastodon.start(usernames),
    options.elsewhere ? FakeMastodon.start(options.elsewhere) : Promise.resolve(null),
  ]);
  const { person: alice, community: team } = await seedCommunity(connexo, { person: "alice", community: "team" });
  const post = await connexo.services.weeknotes.publish("team", alice, {
    title: "Week 49: the councils reply",
    summary: "Three councils answered the consultation.",
    body: "Three councils **answered**.",
  });
  const world: InboxWorld = {
    connexo,
    mastodon,
    elsewhere,
    alice,
    team,
    weeknote: { id: post.id, url: `${connexo.origin}/posts/${post.id}` },
    aliceUri: `${connexo.origin}/@alice`,
    teamUri: `${connexo.origin}/@team`,
    teamInbox: `${connexo.origin}/@team/inbox`,
    sharedInbox: `${connexo.origin}/inbox`,
    async send(activity, from, inbox = world.sharedInbox) {
      const response = await deliver(inbox, activity, from);
      expect(response.status, `delivering ${JSON.stringify(activity).slice(0, 200)}`).toBe(202);
    },
    async settled() {
      await eventually(
        async () => {
          const [row] = await queryRows<{ n: number }>(connexo.database, "SELECT count(*) AS n FROM queue_messages WHERE queue = 'fedify'");
          return row!.n === 0;
        },
        20_000,
        "the inbox queue to drain",
      );
    },
    async followFake(user, localHandle = "alice") {
      const { followingId, activity } = await requestFollow(world, user, localHandle);
      await world.send(accept(user, activity), user);
      await eventually(
        async () => (await connexo.store.follows.findFollowing(followingId))?.state === "accepted",
        15_000,
        `@${localHandle} following ${user.id}`,
      );
    },
    async stop() {
      await Promise.all([connexo.stop(), mastodon.close(), elsewhere?.close()]);
    },
  };
  return world;
}

/** Serves a fake user's actor document as a Group, as a community on another Connexo instance is served. */
export function servedAsGroup(fake: FakeMastodon, user: FakeUser, name: string): void {
  fake.routes.set(new URL(user.id).pathname, (_req, res) => {
    res.writeHead(200, { "content-type": "application/activity+json; charset=utf-8" });
    res.end(JSON.stringify({ ...fake.actorDocument(user), type: "Group", name }));
  });
}

/**
 * Has a local actor ask to follow a fake user; returns the following's id and
 * our Follow as the fake server received it.
 */
export async function requestFollow(
  world: InboxWorld,
  user: FakeUser,
  localHandle = "alice",
): Promise<{ followingId: string; activity: Record<string, unknown> }> {
  const actorUri = `${world.connexo.origin}/@${localHandle}`;
  const following = await world.connexo.services.follows.requestFollow(localHandle, user.id);
  const activity = await eventually(
    () =>
      world.mastodon.inboxPosts
        .map((p) => JSON.parse(p.body) as Record<string, unknown>)
        .find((a) => a.type === "Follow" && a.object === user.id && a.actor === actorUri),
    15_000,
    `the Follow of ${user.id} by ${actorUri}`,
  );
  return { followingId: following.id, activity };
}

/** Every activity the fake server received, parsed (each once, even if it was knocked twice). */
export function received(fake: FakeMastodon): Record<string, unknown>[] {
  const seen = new Map<string, Record<string, unknown>>();
  for (const post of fake.inboxPosts) {
    const activity = JSON.parse(post.body) as Record<string, unknown>;
    seen.set(String(activity.id ?? post.body), activity);
  }
  return [...seen.values()];
}

/** The id of an activity's object, embedded or named. */
export function objectIdOf(activity: Record<string, unknown>): string | undefined {
  const object = activity.object;
  if (typeof object === "string") return object;
  if (object && typeof object === "object") return (object as { id?: string }).id;
  return undefined;
}

// Activities as Mastodon shapes them.

const AS = "https://www.w3.org/ns/activitystreams";
type Json = Record<string, unknown>;
const withoutContext = ({ "@context": _context, ...rest }: Json) => rest;
const ref = (object: string | Json) => (typeof object === "string" ? object : withoutContext(object));

export function follow(actor: FakeUser, object: string): Json {
  return { "@context": AS, id: `${actor.id}#follows/${randomUUID()}`, type: "Follow", actor: actor.id, object };
}

export function like(actor: FakeUser, object: string): Json {
  return { "@context": AS, id: `${actor.id}#likes/${randomUUID()}`, type: "Like", actor: actor.id, object };
}

export function announce(actor: FakeUser, object: string | Json): Json {
  return {
    "@context": MASTODON_ACTIVITY_CONTEXT,
    id: `${actor.id}/statuses/${randomUUID()}/activity`,
    type: "Announce",
    actor: actor.id,
    published: new Date().toISOString(),
    to: [AS_PUBLIC],
    cc: [actor.followers],
    object: ref(object),
  };
}

export function undo(actor: FakeUser, object: string | Json): Json {
  return { "@context": AS, id: `${actor.id}#undos/${randomUUID()}`, type: "Undo", actor: actor.id, object: ref(object) };
}

export function accept(actor: FakeUser, object: string | Json): Json {
  return { "@context": AS, id: `${actor.id}#accepts/follows/${randomUUID()}`, type: "Accept", actor: actor.id, object: ref(object) };
}

export function reject(actor: FakeUser, object: string | Json): Json {
  return { "@context": AS, id: `${actor.id}#rejects/follows/${randomUUID()}`, type: "Reject", actor: actor.id, object: ref(object) };
}

/** A public Note by `actor` (id on the actor's host unless `fields` say otherwise). */
export function note(actor: FakeUser, fields: Json = {}): Json {
  const id = `${actor.id}/statuses/${randomUUID()}`;
  return {
    id,
    type: "Note",
    attributedTo: actor.id,
    to: [AS_PUBLIC],
    cc: [actor.followers],
    url: id,
    content: "<p>Hello.</p>",
    published: new Date().toISOString(),
    ...fields,
  };
}

export function create(actor: FakeUser, object: Json, id = `${String(object.id)}/activity`): Json {
  return { "@context": MASTODON_ACTIVITY_CONTEXT, id, type: "Create", actor: actor.id, to: object.to, cc: object.cc, object: ref(object) };
}

export function update(actor: FakeUser, object: Json, id = `${String(object.id)}#updates/${randomUUID()}`): Json {
  return { "@context": MASTODON_ACTIVITY_CONTEXT, id, type: "Update", actor: actor.id, to: [AS_PUBLIC], object: ref(object) };
}

/** Mastodon's Delete of a status (with a Tombstone) or of an actor (the actor's id). */
export function del(actor: FakeUser, objectId: string, id = `${objectId}#delete`): Json {
  const object = objectId === actor.id ? objectId : { id: objectId, type: "Tombstone", atomUri: objectId };
  return { "@context": MASTODON_ACTIVITY_CONTEXT, id, type: "Delete", actor: actor.id, to: [AS_PUBLIC], object };
}

/**
 * One activity of every kind an inbox takes, by `actor`, about the world's
 * weeknote (and `own`, a note of the actor's): for checking that a block
 * refuses them all.
 */
export function everyKindOfActivity(world: InboxWorld, actor: FakeUser, own: Json): Json[] {
  const reply = note(actor, { inReplyTo: world.weeknote.url, content: "<p>A reply from a blocked sender</p>" });
  return [
    follow(actor, world.teamUri),
    create(actor, reply),
    like(actor, world.weeknote.url),
    announce(actor, world.weeknote.url),
    update(actor, own),
    del(actor, String(own.id)),
    undo(actor, follow(actor, world.teamUri)),
    { "@context": AS, id: `${actor.id}#flags/${randomUUID()}`, type: "Flag", actor: actor.id, object: world.aliceUri },
  ];
}
