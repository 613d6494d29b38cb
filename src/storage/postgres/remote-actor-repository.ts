import { eq } from "drizzle-orm";
import type { RemoteActorInput } from "../../domain/types.ts";
import { toRemoteActor } from "../mappers.ts";
import type { RemoteActorRepository } from "../repositories.ts";
import type { PgDrizzle } from "./database.ts";
import { blockedActors, followings, remoteActors } from "./schema.ts";

export class PostgresRemoteActorRepository implements RemoteActorRepository {
  constructor(private readonly db: PgDrizzle) {}

  async upsert(actor: RemoteActorInput) {
    const [row] = await this.db
      .insert(remoteActors)
      .values({ ...actor, updatedAt: Date.now() })
      .onConflictDoUpdate({ target: remoteActors.uri, set: { ...actor, updatedAt: Date.now() } })
      .returning();
    return toRemoteActor(row!);
  }

  async findByUri(uri: string) {
    const [row] = await this.db.select().from(remoteActors).where(eq(remoteActors.uri, uri));
    return row ? toRemoteActor(row) : null;
  }

  async remove(uri: string) {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.select({ id: remoteActors.id }).from(remoteActors).where(eq(remoteActors.uri, uri));
      if (!row) return false;
      // Followers, reactions and remote posts cascade; replies keep their text but lose their author.
      await tx.delete(followings).where(eq(followings.remoteActorId, row.id));
      await tx.delete(remoteActors).where(eq(remoteActors.id, row.id));
      return true;
    });
  }

  async isBlocked(uri: string) {
    const [row] = await this.db.select({ uri: blockedActors.uri }).from(blockedActors).where(eq(blockedActors.uri, uri));
    return row !== undefined;
  }

  async block(uri: string) {
    await this.db.insert(blockedActors).values({ uri }).onConflictDoNothing();
  }
}
