import type BetterSqlite3 from "better-sqlite3";
import type { KvPrefix, KvRow, KvTable } from "../kv-table.ts";
import type { SqliteDatabase } from "./database.ts";
import type { WriteLock } from "./write-lock.ts";

type Matches = (current: string | undefined) => boolean;

/**
 * The key-value table on SQLite. Statements are prepared once. Writes take
 * the writing connection's lock, so none lands inside a transaction of the
 * store; plain reads go to the reading connection.
 */
export class SqliteKvTable implements KvTable {
  readonly #lock: WriteLock;
  readonly #get: BetterSqlite3.Statement<[string, number], { value: string }>;
  readonly #set: BetterSqlite3.Statement<[string, string, number | null]>;
  readonly #delete: BetterSqlite3.Statement<[string]>;
  readonly #sweep: BetterSqlite3.Statement<[number]>;
  readonly #list: BetterSqlite3.Statement<[{ key: string; prefix: string; now: number }], KvRow>;
  readonly #listAll: BetterSqlite3.Statement<[number], KvRow>;
  readonly #cas: BetterSqlite3.Transaction<
    (key: string, matches: Matches, value: string | undefined, expiresAt: number | null, now: number) => boolean
  >;

  constructor(database: SqliteDatabase) {
    const { sqlite, readerSqlite: reader } = database;
    this.#lock = database.writeLock;
    const live = "SELECT value FROM kv WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)";
    this.#get = reader.prepare(live);
    this.#set = sqlite.prepare(
      "INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
    );
    this.#delete = sqlite.prepare("DELETE FROM kv WHERE key = ?");
    this.#sweep = sqlite.prepare("DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?");
    this.#list = reader.prepare(
      "SELECT key, value FROM kv WHERE (key = @key OR substr(key, 1, length(@prefix)) = @prefix) AND (expires_at IS NULL OR expires_at > @now) ORDER BY key",
    );
    this.#listAll = reader.prepare("SELECT key, value FROM kv WHERE expires_at IS NULL OR expires_at > ? ORDER BY key");
    // Read and written on the writing connection, in one transaction that holds the database from its start.
    const current = sqlite.prepare<[string, number], { value: string }>(live);
    this.#cas = sqlite.transaction((key: string, matches: Matches, value: string | undefined, expiresAt: number | null, now: number) => {
      if (!matches(current.get(key, now)?.value)) return false;
      if (value === undefined) this.#delete.run(key);
      else this.#set.run(key, value, expiresAt);
      return true;
    });
  }

  async get(key: string, now: number) {
    return this.#get.get(key, now)?.value;
  }

  async set(key: string, value: string, expiresAt: number | null) {
    await this.#lock.run(() => this.#set.run(key, value, expiresAt));
  }

  async delete(key: string) {
    await this.#lock.run(() => this.#delete.run(key));
  }

  cas(key: string, matches: Matches, value: string | undefined, expiresAt: number | null, now: number): Promise<boolean> {
    return this.#lock.run(() => this.#cas.immediate(key, matches, value, expiresAt, now));
  }

  async list(now: number, prefix?: KvPrefix) {
    return prefix === undefined ? this.#listAll.all(now) : this.#list.all({ key: prefix.key, prefix: prefix.below, now });
  }

  sweep(now: number): Promise<number> {
    return this.#lock.run(() => this.#sweep.run(now).changes);
  }
}
