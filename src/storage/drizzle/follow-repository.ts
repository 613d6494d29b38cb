import { and, count, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { decodeFollowerCursor, decodeOffsetCursor, encodeFollowerCursor, encodeOffsetCursor } from "../cursors.ts";
import { toFollowing, toRemoteActor } from "../mappers.ts";
import type { FollowRepository } from "../repositories.ts";
import { enqueueEvents } from "./events.ts";
import { keyset } from "./keyset.ts";
import { excludedFor, placeholdersFor, prepared } from "./prepared.ts";
import type { Unit } from "./unit.ts";

export function followRepository(unit: Unit): FollowRepository {
  const { db } = unit;
  const { followers, followings, remoteActors } = unit.tables;

  /** The id of the remote actor at this URI, as a subquery. */
  const remoteActorIdOf = (uri: string) => db.select({ id: remoteActors.id }).from(remoteActors).where(eq(remoteActors.uri, uri));

  async function findFollowing(id: string) {
    const [row] = await db
      .select()
      .from(followings)
      .leftJoin(remoteActors, eq(remoteActors.id, followings.remoteActorId))
      .where(eq(followings.id, id));
    return row ? toFollowing(row) : null;
  }

  return {
    async addFollower(actorId, remoteActorId, followUri) {
      // Prepared: every Follow received runs it.
      await unit.write((db) =>
        prepared(db, "follower_add", (db, name) =>
          db
            .insert(followers)
            .values(placeholdersFor({ actorId, remoteActorId, followUri }))
            .onConflictDoUpdate({ target: [followers.actorId, followers.remoteActorId], set: excludedFor(followers, { followUri }) })
            .prepare(name),
        ).execute({ actorId, remoteActorId, followUri }),
      );
    },

    async removeFollower(actorId, remoteActorUri) {
      const removed = await unit.write((db) =>
        db
          .delete(followers)
          .where(and(eq(followers.actorId, actorId), inArray(followers.remoteActorId, remoteActorIdOf(remoteActorUri))))
          .returning({ actorId: followers.actorId }),
      );
      return removed.length > 0;
    },

    async isFollower(actorId, remoteActorUri) {
      const [row] = await db
        .select({ actorId: followers.actorId })
        .from(followers)
        .where(and(eq(followers.actorId, actorId), inArray(followers.remoteActorId, remoteActorIdOf(remoteActorUri))));
      return row !== undefined;
    },

    async removeFollowsBy(remoteActorUri) {
      const removed = await unit.write((db) =>
        db
          .delete(followers)
          .where(inArray(followers.remoteActorId, remoteActorIdOf(remoteActorUri)))
          .returning({ actorId: followers.actorId }),
      );
      return removed.length;
    },

    async removeFollowersAtInbox(inbox) {
      const atInbox = db
        .select({ id: remoteActors.id })
        .from(remoteActors)
        .where(or(eq(remoteActors.inbox, inbox), eq(remoteActors.sharedInbox, inbox)));
      const removed = await unit.write((db) =>
        db.delete(followers).where(inArray(followers.remoteActorId, atInbox)).returning({ actorId: followers.actorId }),
      );
      return removed.length;
    },

    async followers(actorId, cursor, limit) {
      const after = decodeFollowerCursor(cursor);
      const rows = await db
        .select({
          uri: remoteActors.uri,
          inbox: remoteActors.inbox,
          sharedInbox: remoteActors.sharedInbox,
          createdAt: followers.createdAt,
          id: remoteActors.id,
        })
        .from(followers)
        .innerJoin(remoteActors, eq(remoteActors.id, followers.remoteActorId))
        .where(
          and(
            eq(followers.actorId, actorId),
            after
              ? or(lt(followers.createdAt, after[0]), and(eq(followers.createdAt, after[0]), lt(followers.remoteActorId, after[1])))
              : undefined,
          ),
        )
        // In the order of the followers_by_actor_time index: a page reads its own rows, not every follower's.
        .orderBy(desc(followers.createdAt), desc(followers.remoteActorId))
        .limit(limit + 1);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map(({ uri, inbox, sharedInbox }) => ({ uri, inbox, sharedInbox })),
        next: rows.length > limit && last ? encodeFollowerCursor(last.createdAt, last.id) : null,
      };
    },

    async countFollowers(actorId) {
      const [row] = await db.select({ n: count() }).from(followers).where(eq(followers.actorId, actorId));
      return row?.n ?? 0;
    },

    async createFollowing(following, events) {
      await unit.transaction(async (tx) => {
        await tx.db
          .insert(followings)
          .values({ ...following, state: "resolving" })
          .onConflictDoUpdate({ target: [followings.actorId, followings.target], set: { id: following.id, state: "resolving" } });
        await enqueueEvents(tx, events);
      });
      return (await findFollowing(following.id))!;
    },

    findFollowing,

    async findFollowingTo(actorId, target) {
      const [row] = await db
        .select()
        .from(followings)
        .leftJoin(remoteActors, eq(remoteActors.id, followings.remoteActorId))
        .where(and(eq(followings.actorId, actorId), eq(followings.target, target)));
      return row ? toFollowing(row) : null;
    },

    async resolveFollowing(id, remoteActorId, state) {
      const changed = await unit.write((db) =>
        db.update(followings).set({ remoteActorId, state }).where(eq(followings.id, id)).returning({ id: followings.id }),
      );
      return changed.length > 0;
    },

    async setFollowingState(actorId, remoteActorUri, state) {
      const changed = await unit.write((db) =>
        db
          .update(followings)
          .set({ state })
          .where(and(eq(followings.actorId, actorId), inArray(followings.remoteActorId, remoteActorIdOf(remoteActorUri))))
          .returning({ id: followings.id }),
      );
      return changed.length > 0;
    },

    async following(actorId, cursor, limit) {
      const offset = decodeOffsetCursor(cursor);
      const rows = await db
        .select({ remote: remoteActors })
        .from(followings)
        .innerJoin(remoteActors, eq(remoteActors.id, followings.remoteActorId))
        .where(and(eq(followings.actorId, actorId), eq(followings.state, "accepted")))
        .orderBy(desc(followings.createdAt))
        .limit(limit + 1)
        .offset(offset);
      return {
        items: rows.slice(0, limit).map((r) => toRemoteActor(r.remote)),
        next: rows.length > limit ? encodeOffsetCursor(offset + limit) : null,
      };
    },

    async followingPage(actorId, at, limit) {
      const page = keyset(followings.createdAt, followings.id, at, limit);
      const rows = await db
        .select()
        .from(followings)
        .leftJoin(remoteActors, eq(remoteActors.id, followings.remoteActorId))
        // Those that failed or were refused are not followed: asking again is a new follow.
        .where(and(eq(followings.actorId, actorId), inArray(followings.state, ["resolving", "pending", "accepted"]), page.where))
        .orderBy(...page.orderBy)
        .limit(limit + 1);
      return page.page(rows, (r) => [r.followings.createdAt, r.followings.id], toFollowing);
    },

    async followersPage(actorId, at, limit) {
      const page = keyset(followers.createdAt, followers.remoteActorId, at, limit, true);
      const rows = await db
        .select({ remote: remoteActors, createdAt: followers.createdAt })
        .from(followers)
        .innerJoin(remoteActors, eq(remoteActors.id, followers.remoteActorId))
        .where(and(eq(followers.actorId, actorId), page.where))
        .orderBy(...page.orderBy)
        .limit(limit + 1);
      return page.page(
        rows,
        (r) => [r.createdAt, r.remote.id],
        (r) => toRemoteActor(r.remote),
      );
    },

    async removeFollowing(id, events) {
      return unit.transaction(async (tx) => {
        const removed = await tx.db.delete(followings).where(eq(followings.id, id)).returning({ id: followings.id });
        if (removed.length === 0) return false;
        await enqueueEvents(tx, events);
        return true;
      });
    },

    async countFollowing(actorId) {
      const [row] = await db
        .select({ n: count() })
        .from(followings)
        .where(and(eq(followings.actorId, actorId), eq(followings.state, "accepted")));
      return row?.n ?? 0;
    },

    async isFollowedLocally(remoteActorUri) {
      const [row] = await db
        .select({ id: followings.id })
        .from(followings)
        .innerJoin(remoteActors, eq(remoteActors.id, followings.remoteActorId))
        .where(and(eq(remoteActors.uri, remoteActorUri), eq(followings.state, "accepted")))
        .limit(1);
      return row !== undefined;
    },

    async hasFollowerFrom(origin) {
      // A comparison of the URI's start, not LIKE: a host may hold characters LIKE reads as wildcards.
      const prefix = `${origin}/`;
      const [row] = await db
        .select({ id: remoteActors.id })
        .from(followers)
        .innerJoin(remoteActors, eq(remoteActors.id, followers.remoteActorId))
        .where(sql`substr(${remoteActors.uri}, 1, ${sql.raw(String(prefix.length))}) = ${prefix}`)
        .limit(1);
      return row !== undefined;
    },
  };
}
