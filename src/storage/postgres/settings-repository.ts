import { eq } from "drizzle-orm";
import type { SettingsRepository } from "../repositories.ts";
import type { PgDrizzle } from "./database.ts";
import { settings } from "./schema.ts";

export class PostgresSettingsRepository implements SettingsRepository {
  constructor(private readonly db: PgDrizzle) {}

  async get(key: string) {
    const [row] = await this.db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
    return row?.value ?? null;
  }

  async set(key: string, value: string) {
    await this.db.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } });
  }

  async setIfAbsent(key: string, value: string) {
    const inserted = await this.db.insert(settings).values({ key, value }).onConflictDoNothing().returning({ key: settings.key });
    return inserted.length > 0;
  }
}
