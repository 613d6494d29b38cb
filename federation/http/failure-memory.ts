import type { KvStore } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";

/** How long a URL that failed is not asked for again. */
const REMEMBER_FOR = { minutes: 2 };

/**
 * URLs whose fetch failed lately (timed out, refused, answered an error or
 * the wrong thing), kept in the key-value store so that every process knows.
 * A flood of requests naming a broken key or object then costs one fetch,
 * not one each.
 */
export class FailureMemory {
  constructor(private readonly kv: KvStore) {}

  async recall(url: string): Promise<string | null> {
    const reason = await this.kv.get<string>(["connexo", "fetchFailure", url]);
    return typeof reason === "string" ? reason : null;
  }

  async remember(url: string, reason: string): Promise<void> {
    await this.kv.set(["connexo", "fetchFailure", url], reason.slice(0, 500), { ttl: Temporal.Duration.from(REMEMBER_FOR) });
  }
}
