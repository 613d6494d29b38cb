import { and, eq, isNull, sql } from "drizzle-orm";
import { toActor } from "../mappers.ts";
import type { ActivityRepository, TokenRepository } from "../repositories.ts";
import { prepared } from "./prepared.ts";
import type { Unit } from "./unit.ts";

export function tokenRepository(unit: Unit): TokenRepository {
  const { actors, apiTokens } = unit.tables;
  return {
    async create(personId, tokenHash, label) {
      await unit.write((db) => db.insert(apiTokens).values({ personId, tokenHash, label }));
    },

    async revokeAll(personId, at) {
      await unit.write((db) =>
        db
          .update(apiTokens)
          .set({ revokedAt: at.getTime() })
          .where(and(eq(apiTokens.personId, personId), isNull(apiTokens.revokedAt))),
      );
    },

    async findPerson(tokenHash) {
      const [row] = await unit.db
        .select({ actor: actors })
        .from(apiTokens)
        .innerJoin(actors, eq(actors.id, apiTokens.personId))
        .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), isNull(actors.deactivatedAt)));
      return row ? toActor(row.actor) : null;
    },
  };
}

/** The activities we sent, kept so that their ids answer with them. */
export function activityRepository(unit: Unit): ActivityRepository {
  const { activities } = unit.tables;
  return {
    async save(id, json) {
      // Prepared: every Accept of a Follow is kept here.
      await unit.write((db) =>
        prepared(db, "activity_save", (db, name) =>
          db
            .insert(activities)
            .values({ id: sql.placeholder("id"), json: sql.placeholder("json") })
            .onConflictDoNothing()
            .prepare(name),
        ).execute({ id, json: JSON.stringify(json) }),
      );
    },

    async find(id) {
      const [row] = await unit.db.select().from(activities).where(eq(activities.id, id));
      return row ? (JSON.parse(row.json) as unknown) : null;
    },
  };
}
