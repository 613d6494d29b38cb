import type BetterSqlite3 from "better-sqlite3";
import type { KvPrefix, KvRow, KvTable } from "../kv-table.ts";
import type { SqliteDatabase } from "./database.ts";
import type { WriteLock } from "./write-lock.ts";

type Matches = (current: string | undefined) => boolean;

/** A `set` waiting for its batch to be written. */
interface PendingSet {
  key: string;
  value: string;
  expiresAt: number | null;
}

/** Sets written in one transaction, and what each caller awaits. */
interface SetBatch {
  entries: PendingSet[];
  written: Promise<void>;
}

/**
 * The key-value table on SQLite. Statements are prepared once. Writes take
 * the writing connection's lock, so none lands inside a transaction of the
 * store; plain reads go to the reading connection.
 *
 * Sets are committed in groups: one waiting for the lock takes along those
 * made after it, in one transaction, where each would otherwise be a commit
 * of its own. Under load (every inbox activity is marked handled, every
 * fetched key and document is cached) the sets of concurrent requests share
 * a commit; alone, a set is written at once as before. Each caller's promise
 * still settles only once its value is committed. Any other write closes the
 * open group, so writes of one key land in the order they were asked for.
 */
export class SqliteKvTable implements KvTable {
  readonly #lock: WriteLock;
  readonly #get: BetterSqlite3.Statement<[string, number], { value: string }>;
  readonly #set: BetterSqlite3.Statement<[string, string, number | null]>;
  readonly #setAll: BetterSqlite3.Transaction<(entries: PendingSet[]) => void>;
  /** The group of sets still open to more, if any. */
  #openBatch: SetBatch | null = null;
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
    this.#setAll = sqlite.transaction((entries: PendingSet[]) => {
      for (const { key, value, expiresAt } of entries) this.#set.run(key, value, expiresAt);
    });
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

  set(key: string, value: string, expiresAt: number | null): Promise<void> {
    const open = this.#openBatch;
    if (open) {
      open.entries.push({ key, value, expiresAt });
      return open.written;
    }
    const entries = [{ key, value, expiresAt }];
    const written = this.#lock.run(() => {
      // Closed once its turn comes: later sets start a group of their own.
      if (this.#openBatch?.entries === entries) this.#openBatch = null;
      if (entries.length === 1) this.#set.run(entries[0]!.key, entries[0]!.value, entries[0]!.expiresAt);
      else this.#setAll.immediate(entries);
    });
    this.#openBatch = { entries, written };
    return written;
  }

  async delete(key: string) {
    this.#openBatch = null;
    await this.#lock.run(() => this.#delete.run(key));
  }

  cas(key: string, matches: Matches, value: string | undefined, expiresAt: number | null, now: number): Promise<boolean> {
    this.#openBatch = null;
    return this.#lock.run(() => this.#cas.immediate(key, matches, value, expiresAt, now));
  }

  async list(now: number, prefix?: KvPrefix) {
    return prefix === undefined ? this.#listAll.all(now) : this.#list.all({ key: prefix.key, prefix: prefix.below, now });
  }

  sweep(now: number): Promise<number> {
    this.#openBatch = null;
    return this.#lock.run(() => this.#sweep.run(now).changes);
  }
}
