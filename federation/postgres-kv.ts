import type { KvKey, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import type pg from "pg";
import { encodeKey, expiryOf, prefixText, sameJson, type SweepableKvStore } from "./kv.ts";

const live = "(expires_at IS NULL OR expires_at > $2)";
const GET = { name: "kv_get", text: `SELECT value FROM kv WHERE key = $1 AND ${live}` };
const SET = {
  name: "kv_set",
  text: "INSERT INTO kv (key, value, expires_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
};
const DELETE = { name: "kv_delete", text: "DELETE FROM kv WHERE key = $1" };

/** Fedify's key-value store on our PostgreSQL database (table `kv`), shared by every process. */
export class PostgresKvStore implements SweepableKvStore {
  constructor(private readonly pool: pg.Pool) {}

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const { rows } = await this.pool.query<{ value: string }>({ ...GET, values: [encodeKey(key), Date.now()] });
    return rows[0] === undefined ? undefined : (JSON.parse(rows[0].value) as T);
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    await this.pool.query({ ...SET, values: [encodeKey(key), JSON.stringify(value), expiryOf(options)] });
  }

  async delete(key: KvKey): Promise<void> {
    await this.pool.query({ ...DELETE, values: [encodeKey(key)] });
  }

  /**
   * Compare-and-swap in one transaction. The advisory lock on the key makes
   * concurrent swaps of a key that does not exist yet wait for each other;
   * FOR UPDATE holds an existing row against plain writes meanwhile.
   */
  async cas(key: KvKey, expected: unknown, newValue: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    const encoded = encodeKey(key);
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [encoded]);
      const { rows } = await client.query<{ value: string; expires_at: string | null }>(
        "SELECT value, expires_at FROM kv WHERE key = $1 FOR UPDATE",
        [encoded],
      );
      const row = rows[0];
      const current = row && (row.expires_at === null || Number(row.expires_at) > Date.now()) ? JSON.parse(row.value) : undefined;
      if (!sameJson(current, expected)) {
        await client.query("ROLLBACK");
        return false;
      }
      let swapped = true;
      if (newValue === undefined) await client.query(DELETE.text, [encoded]);
      else if (row) await client.query(SET.text, [encoded, JSON.stringify(newValue), expiryOf(options)]);
      else {
        // No row was there to lock: a plain set() may have written one since, and then the key is no longer absent.
        const inserted = await client.query("INSERT INTO kv (key, value, expires_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING", [
          encoded,
          JSON.stringify(newValue),
          expiryOf(options),
        ]);
        swapped = inserted.rowCount === 1;
      }
      await client.query(swapped ? "COMMIT" : "ROLLBACK");
      return swapped;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const now = Date.now();
    const { rows } =
      prefix === undefined || prefix.length === 0
        ? await this.pool.query<{ key: string; value: string }>(
            'SELECT key, value FROM kv WHERE expires_at IS NULL OR expires_at > $1 ORDER BY key COLLATE "C"',
            [now],
          )
        : await this.pool.query<{ key: string; value: string }>(
            `SELECT key, value FROM kv WHERE (key = $1 OR starts_with(key, $3)) AND ${live} ORDER BY key COLLATE "C"`,
            [encodeKey(prefix), now, prefixText(prefix)],
          );
    for (const row of rows) yield { key: JSON.parse(row.key) as KvKey, value: JSON.parse(row.value) };
  }

  async sweep(): Promise<number> {
    const result = await this.pool.query("DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= $1", [Date.now()]);
    return result.rowCount ?? 0;
  }
}
