import type { Database } from "./database.ts";
import { PostgresKvTable } from "./postgres/kv-table.ts";
import { SqliteKvTable } from "./sqlite/kv-table.ts";

/** An entry of the `kv` table, key and value as stored text. */
export interface KvRow {
  key: string;
  value: string;
}

/** Which keys to list: `key` itself, and every key whose text starts with `below`. */
export interface KvPrefix {
  key: string;
  below: string;
}

/**
 * The `kv` table: text values under text keys, each with an optional expiry
 * (epoch milliseconds). An entry is live until its expiry passes; reads see
 * only live entries, and `sweep` removes the others. One implementation per
 * database.
 */
export interface KvTable {
  /** The key's live value at `now`, or undefined. */
  get(key: string, now: number): Promise<string | undefined>;
  /** Writes the value, replacing any, with its expiry (null: never). */
  set(key: string, value: string, expiresAt: number | null): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Compare-and-swap, atomic against every other write of the key (in any
   * process): reads the key's live value at `now` (undefined when absent or
   * expired) and, only if `matches` accepts it, writes `value` with its expiry,
   * or deletes the key when `value` is undefined. Resolves to whether it wrote.
   * `matches` runs synchronously while the key is held.
   */
  cas(
    key: string,
    matches: (current: string | undefined) => boolean,
    value: string | undefined,
    expiresAt: number | null,
    now: number,
  ): Promise<boolean>;
  /** The live entries at `now`, all or those under `prefix`, in byte order of their keys. */
  list(now: number, prefix?: KvPrefix): Promise<KvRow[]>;
  /** Removes the entries expired at `now`; resolves to how many. */
  sweep(now: number): Promise<number>;
}

/** The key-value table on whichever database this is. */
export function createKvTable(database: Database): KvTable {
  return database.kind === "postgres" ? new PostgresKvTable(database.pool) : new SqliteKvTable(database);
}
