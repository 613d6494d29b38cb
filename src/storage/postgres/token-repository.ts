import { and, eq, isNull } from "drizzle-orm";
import { toActor } from "../mappers.ts";
import type { ActivityRepository, TokenRepository } from "../repositories.ts";
import type { PgDrizzle } from "./database.ts";
import { activities, actors, apiTokens } from "./schema.ts";

export class PostgresTokenRepository implements TokenRepository {
  constructor(private readonly db: PgDrizzle) {}

  async create(personId: number, tokenHash: string, label: string) {
    await this.db.insert(apiTokens).values({ personId, tokenHash, label });
  }

  async findPerson(tokenHash: string) {
    const [row] = await this.db
      .select({ actor: actors })
      .from(apiTokens)
      .innerJoin(actors, eq(actors.id, apiTokens.personId))
      .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), isNull(actors.deactivatedAt)));
    return row ? toActor(row.actor) : null;
  }
}

export class PostgresActivityRepository implements ActivityRepository {
  constructor(private readonly db: PgDrizzle) {}

  async save(id: string, json: unknown) {
    await this.db
      .insert(activities)
      .values({ id, json: JSON.stringify(json) })
      .onConflictDoNothing();
  }

  async find(id: string) {
    const [row] = await this.db.select().from(activities).where(eq(activities.id, id));
    return row ? (JSON.parse(row.json) as unknown) : null;
  }
}
