import { and, count, desc, eq, lt, or } from "drizzle-orm";
import type { DomainEvent } from "../../domain/events.ts";
import type { Following, FollowingState } from "../../domain/types.ts";
import type { FollowRepository } from "../repositories.ts";
import type { Drizzle, QueueSignal } from "./database.ts";
import { enqueueEvents } from "./events.ts";
import { decodeFollowerCursor, decodeOffsetCursor, encodeFollowerCursor, encodeOffsetCursor } from "../cursors.ts";
import { toFollowing, toRemoteActor } from "../mappers.ts";
import { followers, followings, remoteActors } from "./schema.ts";

export class SqliteFollowRepository implements FollowRepository {
  constructor(
    private readonly db: Drizzle,
    private readonly signal: QueueSignal,
  ) {}

  async addFollower(actorId: number, remoteActorId: number, followUri: string) {
    this.db
      .insert(followers)
      .values({ actorId, remoteActorId, followUri })
      .onConflictDoUpdate({ target: [followers.actorId, followers.remoteActorId], set: { followUri } })
      .run();
  }

  async removeFollower(actorId: number, remoteActorUri: string) {
    const remote = this.db.select({ id: remoteActors.id }).from(remoteActors).where(eq(remoteActors.uri, remoteActorUri)).get();
    if (!remote) return false;
    const result = this.db
      .delete(followers)
      .where(and(eq(followers.actorId, actorId), eq(followers.remoteActorId, remote.id)))
      .run();
    return result.changes > 0;
  }

  async removeFollowersAtInbox(inbox: string) {
    const ids = this.db
      .select({ id: remoteActors.id })
      .from(remoteActors)
      .where(or(eq(remoteActors.inbox, inbox), eq(remoteActors.sharedInbox, inbox)))
      .all();
    let removed = 0;
    for (const { id } of ids) removed += this.db.delete(followers).where(eq(followers.remoteActorId, id)).run().changes;
    return removed;
  }

  async followers(actorId: number, cursor: string | null, limit: number) {
    const after = decodeFollowerCursor(cursor);
    const rows = this.db
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
      .limit(limit + 1)
      .all();
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(({ uri, inbox, sharedInbox }) => ({ uri, inbox, sharedInbox })),
      next: rows.length > limit && last ? encodeFollowerCursor(last.createdAt, last.id) : null,
    };
  }

  async countFollowers(actorId: number) {
    return this.db.select({ n: count() }).from(followers).where(eq(followers.actorId, actorId)).get()?.n ?? 0;
  }

  async createFollowing(following: { id: string; actorId: number; target: string }, events: DomainEvent[]) {
    this.db.transaction((tx) => {
      tx.insert(followings)
        .values({ ...following, state: "resolving" })
        .onConflictDoUpdate({ target: [followings.actorId, followings.target], set: { id: following.id, state: "resolving" } })
        .run();
      enqueueEvents(tx, this.signal, events);
    });
    return (await this.findFollowing(following.id))!;
  }

  async findFollowing(id: string): Promise<Following | null> {
    const row = this.db
      .select()
      .from(followings)
      .leftJoin(remoteActors, eq(remoteActors.id, followings.remoteActorId))
      .where(eq(followings.id, id))
      .get();
    return row ? toFollowing(row) : null;
  }

  async resolveFollowing(id: string, remoteActorId: number | null, state: FollowingState) {
    this.db.update(followings).set({ remoteActorId, state }).where(eq(followings.id, id)).run();
  }

  async setFollowingState(actorId: number, remoteActorUri: string, state: FollowingState) {
    const remote = this.db.select({ id: remoteActors.id }).from(remoteActors).where(eq(remoteActors.uri, remoteActorUri)).get();
    if (!remote) return false;
    const result = this.db
      .update(followings)
      .set({ state })
      .where(and(eq(followings.actorId, actorId), eq(followings.remoteActorId, remote.id)))
      .run();
    return result.changes > 0;
  }

  async following(actorId: number, cursor: string | null, limit: number) {
    const offset = decodeOffsetCursor(cursor);
    const rows = this.db
      .select({ remote: remoteActors })
      .from(followings)
      .innerJoin(remoteActors, eq(remoteActors.id, followings.remoteActorId))
      .where(and(eq(followings.actorId, actorId), eq(followings.state, "accepted")))
      .orderBy(desc(followings.createdAt))
      .limit(limit + 1)
      .offset(offset)
      .all();
    return {
      items: rows.slice(0, limit).map((r) => toRemoteActor(r.remote)),
      next: rows.length > limit ? encodeOffsetCursor(offset + limit) : null,
    };
  }

  async countFollowing(actorId: number) {
    return (
      this.db
        .select({ n: count() })
        .from(followings)
        .where(and(eq(followings.actorId, actorId), eq(followings.state, "accepted")))
        .get()?.n ?? 0
    );
  }

  async isFollowedLocally(remoteActorUri: string) {
    const row = this.db
      .select({ id: followings.id })
      .from(followings)
      .innerJoin(remoteActors, eq(remoteActors.id, followings.remoteActorId))
      .where(and(eq(remoteActors.uri, remoteActorUri), eq(followings.state, "accepted")))
      .get();
    return row !== undefined;
  }
}
