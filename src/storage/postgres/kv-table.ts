import type pg from "pg";
import type { KvPrefix, KvRow, KvTable } from "../kv-table.ts";

const live = "(expires_at IS NULL OR expires_at > $2)";
// Named statements are prepared once per connection by node-postgres.
const GET = { name: "kv_get", text: `SELECT value FROM kv WHERE key = $1 AND ${live}` };
const SET = {
  name: "kv_set",
  text: "INSERT INTO kv (key, value, expires_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
};
const DELETE = { name: "kv_delete", text: "DELETE FROM kv WHERE key = $1" };
// Ordered byte by byte, as SQLite orders them, whatever the database's collation.
const LIST = {
  name: "kv_list",
  text: `SELECT key, value FROM kv WHERE (key = $1 OR starts_with(key, $3)) AND ${live} ORDER BY key COLLATE "C"`,
};
const LIST_ALL = {
  name: "kv_list_all",
  text: 'SELECT key, value FROM kv WHERE expires_at IS NULL OR expires_at > $1 ORDER BY key COLLATE "C"',
};
const SWEEP = { name: "kv_sweep", text: "DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= $1" };

/** The key-value table on PostgreSQL, shared by every process. */
export class PostgresKvTable implements KvTable {
  constructor(private readonly pool: pg.Pool) {}

  async get(key: string, now: number) {
    const { rows } = await this.pool.query<{ value: string }>({ ...GET, values: [key, now] });
    return rows[0]?.value;
  }

  async set(key: string, value: string, expiresAt: number | null) {
    await this.pool.query({ ...SET, values: [key, value, expiresAt] });
  }

  async delete(key: string) {
    await this.pool.query({ ...DELETE, values: [key] });
  }

  /**
   * Compare-and-swap in one transaction. The advisory lock on the key makes
   * concurrent swaps of a key that does not exist yet wait for each other;
   * FOR UPDATE holds an existing row against plain writes meanwhile.
   */
  async cas(
    key: string,
    matches: (current: string | undefined) => boolean,
    value: string | undefined,
    expiresAt: number | null,
    now: number,
  ) {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [key]);
      const { rows } = await client.query<{ value: string; expires_at: string | null }>(
        "SELECT value, expires_at FROM kv WHERE key = $1 FOR UPDATE",
        [key],
      );
      const row = rows[0];
      const current = row && (row.expires_at === null || Number(row.expires_at) > now) ? row.value : undefined;
      if (!matches(current)) {
        await client.query("ROLLBACK");
        return false;
      }
      let swapped = true;
      if (value === undefined) await client.query(DELETE.text, [key]);
      else if (row) await client.query(SET.text, [key, value, expiresAt]);
      else {
        // No row was there to lock: a plain set() may have written one since, and then the key is no longer absent.
        const inserted = await client.query("INSERT INTO kv (key, value, expires_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING", [
          key,
          value,
          expiresAt,
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

  async list(now: number, prefix?: KvPrefix): Promise<KvRow[]> {
    const { rows } =
      prefix === undefined
        ? await this.pool.query<KvRow>({ ...LIST_ALL, values: [now] })
        : await this.pool.query<KvRow>({ ...LIST, values: [prefix.key, now, prefix.below] });
    return rows;
  }

  async sweep(now: number) {
    const result = await this.pool.query({ ...SWEEP, values: [now] });
    return result.rowCount ?? 0;
  }
}
