import { eq } from "drizzle-orm";
import type { RemoteActorInput } from "../../domain/types.ts";
import type { RemoteActorRepository } from "../repositories.ts";
import type { Drizzle } from "./database.ts";
import { toRemoteActor } from "../mappers.ts";
import { blockedActors, followings, remoteActors } from "./schema.ts";

export class SqliteRemoteActorRepository implements RemoteActorRepository {
  constructor(private readonly db: Drizzle) {}

  async upsert(actor: RemoteActorInput) {
    const row = this.db
      .insert(remoteActors)
      .values({ ...actor, updatedAt: Date.now() })
      .onConflictDoUpdate({ target: remoteActors.uri, set: { ...actor, updatedAt: Date.now() } })
      .returning()
      .get();
    return toRemoteActor(row);
  }

  async findByUri(uri: string) {
    const row = this.db.select().from(remoteActors).where(eq(remoteActors.uri, uri)).get();
    return row ? toRemoteActor(row) : null;
  }

  async remove(uri: string) {
    return this.db.transaction((tx) => {
      const row = tx.select({ id: remoteActors.id }).from(remoteActors).where(eq(remoteActors.uri, uri)).get();
      if (!row) return false;
      // Followers, reactions and remote posts cascade; replies keep their text but lose their author.
      tx.delete(followings).where(eq(followings.remoteActorId, row.id)).run();
      tx.delete(remoteActors).where(eq(remoteActors.id, row.id)).run();
      return true;
    });
  }

  async isBlocked(uri: string) {
    return this.db.select().from(blockedActors).where(eq(blockedActors.uri, uri)).get() !== undefined;
  }

  async block(uri: string) {
    this.db.insert(blockedActors).values({ uri }).onConflictDoNothing().run();
  }
}
