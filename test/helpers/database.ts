import { randomBytes } from "node:crypto";
import { join } from "node:path";
import pg from "pg";
import type { Database } from "../../src/storage/database.ts";

/**
 * Which database the suite runs on. The test runner (`npm test`) sets
 * CONNEXO_TEST_POSTGRES to a server URL for its PostgreSQL round; each test
 * then gets a fresh database of its own there. Otherwise tests use SQLite
 * files in their temporary folders.
 */
export const testPostgresUrl = process.env.CONNEXO_TEST_POSTGRES || null;
export const dialect = testPostgresUrl ? "postgres" : "sqlite";

/** A new, empty database for one test: a SQLite file in `dir`, or a new database on the test server. */
export async function createTestDatabase(dir: string): Promise<string> {
  if (!testPostgresUrl) return join(dir, "connexo.sqlite");
  const name = `connexo_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return url.href;
}

/** Runs raw SQL on either database, for tests that look under the hood. Placeholders are `?`. */
export async function queryRows<T = Record<string, unknown>>(database: Database, text: string, params: unknown[] = []): Promise<T[]> {
  if (database.kind === "sqlite") {
    const statement = database.sqlite.prepare(text);
    if (statement.reader) return statement.all(...params) as T[];
    // Writes wait their turn, as the store's do, so that none lands inside a transaction in progress.
    await database.writeLock.run(() => statement.run(...params));
    return [];
  }
  let n = 0;
  const { rows } = await database.pool.query({ text: text.replace(/\?/g, () => `$${++n}`), values: params, types: bigintAsNumber });
  return rows as T[];
}

// PostgreSQL's bigint (and count(*)) would come back as strings; tests compare numbers.
const bigintAsNumber = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};
