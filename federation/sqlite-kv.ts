import type { KvKey, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import type BetterSqlite3 from "better-sqlite3";
import { encodeKey as encode, expiryOf as expiry, prefixText, sameJson, type SweepableKvStore } from "./kv.ts";

/**
 * Fedify's key-value store on our SQLite database (table `kv`). Keys are
 * stored as JSON arrays so that a prefix of a key is a prefix of its text.
 */
export class SqliteKvStore implements SweepableKvStore {
  readonly #get: BetterSqlite3.Statement<[string, number], { value: string }>;
  readonly #set: BetterSqlite3.Statement<[string, string, number | null]>;
  readonly #delete: BetterSqlite3.Statement<[string]>;
  readonly #list: BetterSqlite3.Statement<[{ key: string; prefix: string; now: number }], { key: string; value: string }>;
  readonly #listAll: BetterSqlite3.Statement<[number], { key: string; value: string }>;

  constructor(private readonly sqlite: BetterSqlite3.Database) {
    this.#get = sqlite.prepare("SELECT value FROM kv WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)");
    this.#set = sqlite.prepare(
      "INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
    );
    this.#delete = sqlite.prepare("DELETE FROM kv WHERE key = ?");
    this.#list = sqlite.prepare(
      "SELECT key, value FROM kv WHERE (key = @key OR substr(key, 1, length(@prefix)) = @prefix) AND (expires_at IS NULL OR expires_at > @now) ORDER BY key",
    );
    this.#listAll = sqlite.prepare("SELECT key, value FROM kv WHERE expires_at IS NULL OR expires_at > ? ORDER BY key");
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const row = this.#get.get(encode(key), Date.now());
    return row === undefined ? undefined : (JSON.parse(row.value) as T);
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    this.#set.run(encode(key), JSON.stringify(value), expiry(options));
  }

  async delete(key: KvKey): Promise<void> {
    this.#delete.run(encode(key));
  }

  async cas(key: KvKey, expected: unknown, newValue: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    // better-sqlite3 runs the transaction synchronously, so nothing can interleave.
    return this.sqlite.transaction(() => {
      const row = this.#get.get(encode(key), Date.now());
      const current = row === undefined ? undefined : JSON.parse(row.value);
      if (!sameJson(current, expected)) return false;
      if (newValue === undefined) this.#delete.run(encode(key));
      else this.#set.run(encode(key), JSON.stringify(newValue), expiry(options));
      return true;
    })();
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const now = Date.now();
    const rows =
      prefix === undefined || prefix.length === 0
        ? this.#listAll.all(now)
        : this.#list.all({ key: encode(prefix), prefix: prefixText(prefix), now });
    for (const row of rows) yield { key: JSON.parse(row.key) as KvKey, value: JSON.parse(row.value) };
  }

  /** Deletes expired entries; the worker calls this now and then. */
  async sweep(): Promise<number> {
    return this.sqlite.prepare("DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?").run(Date.now()).changes;
  }
}
