import { desc, eq, inArray, sql } from "drizzle-orm";
import { toRemoteActor } from "../mappers.ts";
import type { AccountBlockRepository } from "../repositories.ts";
import { prepared } from "./prepared.ts";
import type { Unit } from "./unit.ts";

/** Accounts elsewhere that the instance blocked, one by one. */
export function accountBlockRepository(unit: Unit): AccountBlockRepository {
  const { db } = unit;
  const { blockedActors, remoteActors } = unit.tables;

  return {
    async blockedAmong(uris) {
      if (uris.length === 0) return [];
      const rows = await db.select({ uri: blockedActors.uri }).from(blockedActors).where(inArray(blockedActors.uri, uris));
      return rows.map((r) => r.uri);
    },

    async put(block) {
      const values = { uri: block.uri, reason: block.reason, createdAt: block.createdAt.getTime(), createdBy: block.createdBy };
      const added = await unit.write((db) =>
        db.insert(blockedActors).values(values).onConflictDoNothing().returning({ uri: blockedActors.uri }),
      );
      if (added.length > 0) return true;
      await unit.write((db) => db.update(blockedActors).set({ reason: block.reason }).where(eq(blockedActors.uri, block.uri)));
      return false;
    },

    async remove(uri) {
      const removed = await unit.write((db) =>
        db.delete(blockedActors).where(eq(blockedActors.uri, uri)).returning({ uri: blockedActors.uri }),
      );
      return removed.length > 0;
    },

    async list() {
      const rows = await db
        .select()
        .from(blockedActors)
        .leftJoin(remoteActors, eq(remoteActors.uri, blockedActors.uri))
        .orderBy(desc(blockedActors.createdAt));
      return rows.map(({ blocked_actors: b, remote_actors: account }) => ({
        uri: b.uri,
        reason: b.reason,
        createdAt: new Date(b.createdAt),
        createdBy: b.createdBy,
        account: account ? toRemoteActor(account) : null,
      }));
    },

    async blocksKey(keyId) {
      // The key is the account's own: its id is the actor's URI followed by `#…` or `/…` (compared exactly, not with LIKE).
      // Asked for every signed request that arrives.
      const query = prepared(db, "blocked_actor_key", (db, name) => {
        const key = sql`cast(${sql.placeholder("keyId")} as text)`;
        return db
          .select({ uri: blockedActors.uri })
          .from(blockedActors)
          .where(
            sql`(${blockedActors.uri} = ${key} or (substr(${key}, 1, length(${blockedActors.uri})) = ${blockedActors.uri} and substr(${key}, length(${blockedActors.uri}) + 1, 1) in ('#', '/')))`,
          )
          .limit(1)
          .prepare(name);
      });
      const [row] = await query.execute({ keyId });
      return row !== undefined;
    },

    async isBlocked(uri) {
      const query = prepared(db, "blocked_actor", (db, name) =>
        db
          .select({ uri: blockedActors.uri })
          .from(blockedActors)
          .where(eq(blockedActors.uri, sql.placeholder("uri")))
          .prepare(name),
      );
      const [row] = await query.execute({ uri });
      return row !== undefined;
    },
  };
}
