import { eq } from "drizzle-orm";
import type { SettingsRepository } from "../repositories.ts";
import type { Drizzle } from "./database.ts";
import { settings } from "./schema.ts";

export class SqliteSettingsRepository implements SettingsRepository {
  constructor(private readonly db: Drizzle) {}

  async get(key: string) {
    return this.db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get()?.value ?? null;
  }

  async set(key: string, value: string) {
    this.db.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } }).run();
  }

  async setIfAbsent(key: string, value: string) {
    return this.db.insert(settings).values({ key, value }).onConflictDoNothing().run().changes > 0;
  }
}
