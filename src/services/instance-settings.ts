import type { Clock } from "../domain/clock.ts";
import { forbidden, invalid } from "../domain/errors.ts";
import { DEFAULT_TIME_ZONE, isTimeZone } from "../domain/time-zone.ts";
import type { Actor } from "../domain/types.ts";
import { SETTING, type Store } from "../storage/repositories.ts";

/** The instance's time zone as stored; the default where none is, or where the runtime no longer knows it. */
export async function readTimeZone(store: Pick<Store, "settings">): Promise<string> {
  const stored = await store.settings.get(SETTING.timeZone);
  return stored && isTimeZone(stored) ? stored : DEFAULT_TIME_ZONE;
}

/** How long a process keeps the time zone it read. */
const CACHE_MS = 10_000;

/**
 * Settings administrators change on the administration page. The time zone
 * is the one every time is shown and entered in; storage and federation keep UTC.
 */
export class InstanceSettingsService {
  constructor(
    private readonly store: Store,
    private readonly now: Clock,
  ) {}

  /** Read for every page: kept for a few seconds, so other processes see a change soon and pages cost no query for it. */
  private cached: { zone: string; until: number } | null = null;

  async timeZone(): Promise<string> {
    const now = this.now();
    if (this.cached && this.cached.until > now) return this.cached.zone;
    const zone = await readTimeZone(this.store);
    this.cached = { zone, until: now + CACHE_MS };
    return zone;
  }

  async setTimeZone(admin: Actor, zone: string): Promise<string> {
    if (!admin.isAdmin) throw forbidden("Only the instance's administrators can change its time zone.");
    const name = zone.trim();
    if (!isTimeZone(name)) {
      throw invalid("Choose a time zone from the list.", { timeZone: "choose a time zone from the list, such as Europe/London" });
    }
    await this.store.settings.set(SETTING.timeZone, name);
    this.cached = { zone: name, until: this.now() + CACHE_MS };
    return name;
  }
}
