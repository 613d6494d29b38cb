import { and, eq, isNull } from "drizzle-orm";
import type { ActivityRepository, TokenRepository } from "../repositories.ts";
import type { Drizzle } from "./database.ts";
import { toActor } from "../mappers.ts";
import { activities, actors, apiTokens } from "./schema.ts";

export class SqliteTokenRepository implements TokenRepository {
  constructor(private readonly db: Drizzle) {}

  async create(personId: number, tokenHash: string, label: string) {
    this.db.insert(apiTokens).values({ personId, tokenHash, label }).run();
  }

  async findPerson(tokenHash: string) {
    const row = this.db
      .select({ actor: actors })
      .from(apiTokens)
      .innerJoin(actors, eq(actors.id, apiTokens.personId))
      .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), isNull(actors.deactivatedAt)))
      .get();
    return row ? toActor(row.actor) : null;
  }
}

export class SqliteActivityRepository implements ActivityRepository {
  constructor(private readonly db: Drizzle) {}

  async save(id: string, json: unknown) {
    this.db
      .insert(activities)
      .values({ id, json: JSON.stringify(json) })
      .onConflictDoNothing()
      .run();
  }

  async find(id: string) {
    const row = this.db.select().from(activities).where(eq(activities.id, id)).get();
    return row ? (JSON.parse(row.json) as unknown) : null;
  }
}
