import { desc, eq, or, sql } from "drizzle-orm";
import { toRemoteActor } from "../mappers.ts";
import type { RemoteActorRepository } from "../repositories.ts";
import { excludedFor, placeholdersFor, prepared, rowsWhere, shapeOf } from "./prepared.ts";
import type { Unit } from "./unit.ts";

export function remoteActorRepository(unit: Unit): RemoteActorRepository {
  const { db } = unit;
  const { followings, remoteActors } = unit.tables;

  return {
    async upsert(actor) {
      // Every activity from elsewhere refreshes its actor: prepared, for each set of fields given.
      const values = { ...actor, updatedAt: unit.now() };
      const [row] = await unit.write((db) =>
        prepared(db, `remote_actor_upsert:${shapeOf(values)}`, (db, name) =>
          db
            .insert(remoteActors)
            .values(placeholdersFor(values))
            .onConflictDoUpdate({ target: remoteActors.uri, set: excludedFor(remoteActors, values) })
            .returning()
            .prepare(name),
        ).execute(values),
      );
      return toRemoteActor(row!);
    },

    async findByUri(uri) {
      const [row] = await rowsWhere(db, "remote_actor_by_uri", remoteActors, remoteActors.uri).execute({ value: uri });
      return row ? toRemoteActor(row) : null;
    },

    async findById(id) {
      const [row] = await db.select().from(remoteActors).where(eq(remoteActors.id, id));
      return row ? toRemoteActor(row) : null;
    },

    async findByHandle(handle) {
      // Rarely asked (a moderator typing a handle), so a scan of the table is fine; hosts and user names are compared without case.
      const [row] = await db
        .select()
        .from(remoteActors)
        .where(sql`lower(${remoteActors.handle}) = ${handle.toLowerCase()}`)
        .orderBy(desc(remoteActors.updatedAt))
        .limit(1);
      return row ? toRemoteActor(row) : null;
    },

    async findByAddress(address) {
      // Its id first: a profile page could in principle name another actor's id.
      const rows = await db
        .select()
        .from(remoteActors)
        .where(or(eq(remoteActors.uri, address), eq(remoteActors.url, address)))
        .limit(2);
      const row = rows.find((r) => r.uri === address) ?? rows[0];
      return row ? toRemoteActor(row) : null;
    },

    remove: (uri) =>
      unit.transaction(async (tx) => {
        const [row] = await tx.db.select({ id: remoteActors.id }).from(remoteActors).where(eq(remoteActors.uri, uri));
        if (!row) return false;
        // Followers, reactions and remote posts cascade; replies keep their text but lose their author.
        await tx.db.delete(followings).where(eq(followings.remoteActorId, row.id));
        await tx.db.delete(remoteActors).where(eq(remoteActors.id, row.id));
        return true;
      }),
  };
}
