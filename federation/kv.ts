import type { KvKey, KvStore, KvStoreSetOptions } from "@fedify/fedify";
import { isDeepStrictEqual } from "node:util";
import type { Database } from "../src/storage/database.ts";
import { durationToMs } from "./duration.ts";
import { PostgresKvStore } from "./postgres-kv.ts";
import { SqliteKvStore } from "./sqlite-kv.ts";

/** Fedify's key-value store, with compare-and-swap, and a way to purge expired entries that the worker calls now and then. */
export interface SweepableKvStore extends KvStore {
  cas: NonNullable<KvStore["cas"]>;
  sweep(): Promise<number>;
}

/** Fedify's key-value store, on whichever database this instance uses. */
export function createKvStore(database: Database): SweepableKvStore {
  return database.kind === "postgres" ? new PostgresKvStore(database.pool) : new SqliteKvStore(database.sqlite);
}

// Keys are stored as JSON arrays, so that a key's prefix is a prefix of its text.
export const encodeKey = (key: KvKey) => JSON.stringify(key);

/** The text that every key below `prefix` starts with (the prefix itself is matched exactly). */
export const prefixText = (prefix: KvKey) => `${encodeKey(prefix).slice(0, -1)},`;

export const expiryOf = (options?: KvStoreSetOptions) => (options?.ttl ? Date.now() + durationToMs(options.ttl) : null);

/** Compare as stored: the expected value goes through JSON as the stored one did. */
export const sameJson = (stored: unknown, expected: unknown) =>
  expected === undefined ? stored === undefined : isDeepStrictEqual(stored, JSON.parse(JSON.stringify(expected)));
