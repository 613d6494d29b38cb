import { and, eq } from "drizzle-orm";
import type { SettingsRepository } from "../repositories.ts";
import type { Unit } from "./unit.ts";

export function settingsRepository(unit: Unit): SettingsRepository {
  const { settings } = unit.tables;
  return {
    async get(key) {
      const [row] = await unit.db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
      return row?.value ?? null;
    },

    async set(key, value) {
      await unit.write((db) => db.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } }));
    },

    async setIfAbsent(key, value) {
      const inserted = await unit.write((db) =>
        db.insert(settings).values({ key, value }).onConflictDoNothing().returning({ key: settings.key }),
      );
      return inserted.length > 0;
    },

    async take(key, value) {
      const taken = await unit.write((db) =>
        db
          .delete(settings)
          .where(and(eq(settings.key, key), eq(settings.value, value)))
          .returning({ key: settings.key }),
      );
      return taken.length > 0;
    },
  };
}
