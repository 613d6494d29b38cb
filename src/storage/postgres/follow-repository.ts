import { and, count, desc, eq, inArray, lt, or } from "drizzle-orm";
import type { DomainEvent } from "../../domain/events.ts";
import type { Following, FollowingState } from "../../domain/types.ts";
import { decodeFollowerCursor, decodeOffsetCursor, encodeFollowerCursor, encodeOffsetCursor } from "../cursors.ts";
import { toFollowing, toRemoteActor } from "../mappers.ts";
import type { FollowRepository } from "../repositories.ts";
import type { PgDrizzle } from "./database.ts";
import { enqueueEvents } from "./events.ts";
import { followers, followings, remoteActors } from "./schema.ts";

export class PostgresFollowRepository implements FollowRepository {
  constructor(private readonly db: PgDrizzle) {}

  /** The id of the remote actor at this URI, as a subquery. */
  private remoteActorIdOf(uri: string) {
    return this.db.select({ id: remoteActors.id }).from(remoteActors).where(eq(remoteActors.uri, uri));
  }

  async addFollower(actorId: number, remoteActorId: number, followUri: string) {
    await this.db
      .insert(followers)
      .values({ actorId, remoteActorId, followUri })
      .onConflictDoUpdate({ target: [followers.actorId, followers.remoteActorId], set: { followUri } });
  }

  async removeFollower(actorId: number, remoteActorUri: string) {
    const result = await this.db
      .delete(followers)
      .where(and(eq(followers.actorId, actorId), inArray(followers.remoteActorId, this.remoteActorIdOf(remoteActorUri))));
    return (result.rowCount ?? 0) > 0;
  }

  async removeFollowersAtInbox(inbox: string) {
    const atInbox = this.db
      .select({ id: remoteActors.id })
      .from(remoteActors)
      .where(or(eq(remoteActors.inbox, inbox), eq(remoteActors.sharedInbox, inbox)));
    const result = await this.db.delete(followers).where(inArray(followers.remoteActorId, atInbox));
    return result.rowCount ?? 0;
  }

  async followers(actorId: number, cursor: string | null, limit: number) {
    const after = decodeFollowerCursor(cursor);
    const rows = await this.db
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
          after ? or(lt(followers.createdAt, after[0]), and(eq(followers.createdAt, after[0]), lt(remoteActors.id, after[1]))) : undefined,
        ),
      )
      .orderBy(desc(followers.createdAt), desc(remoteActors.id))
      .limit(limit + 1);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(({ uri, inbox, sharedInbox }) => ({ uri, inbox, sharedInbox })),
      next: rows.length > limit && last ? encodeFollowerCursor(last.createdAt, last.id) : null,
    };
  }

  async countFollowers(actorId: number) {
    const [row] = await this.db.select({ n: count() }).from(followers).where(eq(followers.actorId, actorId));
    return row?.n ?? 0;
  }

  async createFollowing(following: { id: string; actorId: number; target: string }, events: DomainEvent[]) {
    await this.db.transaction(async (tx) => {
      await tx
        .insert(followings)
        .values({ ...following, state: "resolving" })
        .onConflictDoUpdate({ target: [followings.actorId, followings.target], set: { id: following.id, state: "resolving" } });
      await enqueueEvents(tx, events);
    });
    return (await this.findFollowing(following.id))!;
  }

  async findFollowing(id: string): Promise<Following | null> {
    const [row] = await this.db
      .select()
      .from(followings)
      .leftJoin(remoteActors, eq(remoteActors.id, followings.remoteActorId))
      .where(eq(followings.id, id));
    return row ? toFollowing(row) : null;
  }

  async resolveFollowing(id: string, remoteActorId: number | null, state: FollowingState) {
    await this.db.update(followings).set({ remoteActorId, state }).where(eq(followings.id, id));
  }

  async setFollowingState(actorId: number, remoteActorUri: string, state: FollowingState) {
    const result = await this.db
      .update(followings)
      .set({ state })
      .where(and(eq(followings.actorId, actorId), inArray(followings.remoteActorId, this.remoteActorIdOf(remoteActorUri))));
    return (result.rowCount ?? 0) > 0;
  }

  async following(actorId: number, cursor: string | null, limit: number) {
    const offset = decodeOffsetCursor(cursor);
    const rows = await this.db
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
  }

  async countFollowing(actorId: number) {
    const [row] = await this.db
      .select({ n: count() })
      .from(followings)
      .where(and(eq(followings.actorId, actorId), eq(followings.state, "accepted")));
    return row?.n ?? 0;
  }

  async isFollowedLocally(remoteActorUri: string) {
    const [row] = await this.db
      .select({ id: followings.id })
      .from(followings)
      .innerJoin(remoteActors, eq(remoteActors.id, followings.remoteActorId))
      .where(and(eq(remoteActors.uri, remoteActorUri), eq(followings.state, "accepted")))
      .limit(1);
    return row !== undefined;
  }
}
