import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import { isDeepStrictEqual } from "node:util";
import type { Database } from "../src/storage/database.ts";
import { createKvTable, type KvTable } from "../src/storage/kv-table.ts";
import type { Clock } from "../src/domain/clock.ts";
import { durationToMs } from "./duration.ts";

/** Fedify's key-value store, with compare-and-swap, and a way to purge expired entries that the worker calls now and then. */
export interface SweepableKvStore extends KvStore {
  cas: NonNullable<KvStore["cas"]>;
  sweep(): Promise<number>;
}

/** Fedify's key-value store, on whichever database this instance uses. */
export function createKvStore(database: Database, now: Clock = () => Date.now()): SweepableKvStore {
  return new TableKvStore(createKvTable(database), now);
}

/**
 * Fedify's key-value store on our `kv` table. Keys are stored as JSON arrays,
 * so that a prefix of a key is a prefix of its text; values as JSON.
 */
export class TableKvStore implements SweepableKvStore {
  constructor(
    private readonly table: KvTable,
    private readonly now: Clock = () => Date.now(),
  ) {}

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const value = await this.table.get(encodeKey(key), this.now());
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    await this.table.set(encodeKey(key), JSON.stringify(value), this.expiryOf(options));
  }

  async delete(key: KvKey): Promise<void> {
    await this.table.delete(encodeKey(key));
  }

  cas(key: KvKey, expected: unknown, newValue: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    const matches = (current: string | undefined) => sameJson(current === undefined ? undefined : JSON.parse(current), expected);
    const value = newValue === undefined ? undefined : JSON.stringify(newValue);
    return this.table.cas(encodeKey(key), matches, value, this.expiryOf(options), this.now());
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const under = prefix === undefined || prefix.length === 0 ? undefined : { key: encodeKey(prefix), below: prefixText(prefix) };
    const rows = await this.table.list(this.now(), under);
    for (const row of rows) yield { key: JSON.parse(row.key) as KvKey, value: JSON.parse(row.value) };
  }

  private expiryOf(options?: KvStoreSetOptions): number | null {
    return options?.ttl ? this.now() + durationToMs(options.ttl) : null;
  }

  /** Deletes expired entries; the worker calls this now and then. */
  sweep(): Promise<number> {
    return this.table.sweep(this.now());
  }
}

// Keys are stored as JSON arrays, so that a key's prefix is a prefix of its text.
const encodeKey = (key: KvKey) => JSON.stringify(key);

/** The text that every key below `prefix` starts with (the prefix itself is matched exactly). */
const prefixText = (prefix: KvKey) => `${encodeKey(prefix).slice(0, -1)},`;

/** Compare as stored: the expected value goes through JSON as the stored one did. */
const sameJson = (stored: unknown, expected: unknown) =>
  expected === undefined ? stored === undefined : isDeepStrictEqual(stored, JSON.parse(JSON.stringify(expected)));
