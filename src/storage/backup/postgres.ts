import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import pg from "pg";
import { withoutPassword } from "../database.ts";
import { BackupError } from "./archive.ts";
import { KEY_TABLES, type Progress } from "./progress.ts";

/** pg_dump or pg_restore is not installed. */
export class MissingClientError extends BackupError {}

/** Where Debian installs each PostgreSQL version's programs, when they are not on the PATH. */
const DEBIAN_POSTGRES = "/usr/lib/postgresql";

/** Finds pg_dump or pg_restore: on the PATH, else the newest in Debian's per-version folders. */
export function findPostgresClient(name: "pg_dump" | "pg_restore"): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  const versions = existsSync(DEBIAN_POSTGRES)
    ? readdirSync(DEBIAN_POSTGRES)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const path = join(DEBIAN_POSTGRES, version, "bin", name);
    if (existsSync(path)) return path;
  }
  throw new MissingClientError(
    `${name} was not found. Install PostgreSQL's client programs, at the server's version or newer ` +
      "(Debian and Ubuntu: apt-get install postgresql-client), and try again.",
  );
}

/**
 * Dumps the database with pg_dump (custom format) into `target`, while the
 * instance runs. The rows are counted in the very snapshot pg_dump copies
 * (exported from a repeatable-read transaction held open meanwhile).
 */
export async function backupPostgres(url: string, target: string, onProgress: Progress): Promise<Record<string, number>> {
  const pgDump = findPostgresClient("pg_dump");
  const client = await connect(url);
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const snapshot = (await client.query<{ id: string }>("SELECT pg_export_snapshot() AS id")).rows[0]!.id;
    const counts = await countRows(client);
    onProgress({ phase: "database", done: 0, total: 1 });
    await runClient(pgDump, ["--format=custom", `--snapshot=${snapshot}`, `--file=${target}`], url).catch((error: Error) => {
      throw new BackupError(`pg_dump failed: ${error.message}`);
    });
    onProgress({ phase: "database", done: 1, total: 1 });
    await client.query("COMMIT");
    return counts;
  } finally {
    await client.end();
  }
}

/** Whether the database has rows in any table (the migrator's bookkeeping aside). */
export async function postgresHoldsData(url: string): Promise<boolean> {
  return withClient(url, async (client) => {
    for (const table of await userTables(client)) {
      if (table.schema === "drizzle") continue;
      const { rowCount } = await client.query(`SELECT 1 FROM ${quoted(table)} LIMIT 1`);
      if (rowCount) return true;
    }
    return false;
  });
}

/**
 * Restores a dump with pg_restore in one transaction. Tables already there
 * (an emptied schema, or data the caller chose to overwrite) are dropped
 * first, with the migrator's bookkeeping, so that the dump's schema and
 * history replace them whole.
 */
export async function restorePostgres(dump: string, url: string): Promise<void> {
  const pgRestore = findPostgresClient("pg_restore");
  await withClient(url, async (client) => {
    const tables = await userTables(client);
    await client.query("BEGIN");
    for (const table of tables) await client.query(`DROP TABLE IF EXISTS ${quoted(table)} CASCADE`);
    await client.query("DROP SCHEMA IF EXISTS drizzle CASCADE");
    await client.query("COMMIT");
  });
  await runClient(pgRestore, ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", dump], url).catch(
    (error: Error) => {
      throw new BackupError(`pg_restore failed, and the database is left empty: ${error.message}`);
    },
  );
}

/** Checks that pg_restore can read the dump (its table of contents), before anything is written. */
export async function checkPostgresDump(dump: string): Promise<void> {
  const pgRestore = findPostgresClient("pg_restore");
  await runClient(pgRestore, ["--list", dump], null).catch((error: Error) => {
    throw new BackupError(`The archive's database dump cannot be read: ${error.message}`);
  });
}

/** Rows in the key tables, to compare with the manifest after a restore. */
export async function postgresCounts(url: string): Promise<Record<string, number>> {
  return withClient(url, countRows);
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new BackupError(`Could not connect to the database at ${withoutPassword(url)}: ${(error as Error).message}`);
  }
  return client;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connect(url);
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function userTables(client: pg.Client): Promise<{ schema: string; name: string }[]> {
  const { rows } = await client.query<{ schema: string; name: string }>(
    "SELECT schemaname AS schema, tablename AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
  );
  return rows;
}

const quoted = (table: { schema: string; name: string }) => `"${table.schema.replace(/"/g, '""')}"."${table.name.replace(/"/g, '""')}"`;

async function countRows(client: pg.Client): Promise<Record<string, number>> {
  const present = new Set((await userTables(client)).filter((t) => t.schema === "public").map((t) => t.name));
  const counts: Record<string, number> = {};
  for (const table of KEY_TABLES) {
    if (!present.has(table)) continue;
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`);
    counts[table] = Number(rows[0]!.n);
  }
  return counts;
}

/**
 * Runs pg_dump or pg_restore against `url` (passed without its password,
 * which goes in PGPASSWORD so that it shows in no process list).
 */
function runClient(program: string, args: string[], url: string | null): Promise<void> {
  const env = { ...process.env };
  const all = [...args];
  if (url) {
    const parsed = new URL(url);
    if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
    parsed.password = "";
    all.unshift(`--dbname=${parsed.href}`);
  }
  return new Promise((resolve, reject) => {
    const child = spawn(program, all, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4000);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${program} exited with ${code}: ${stderr.trim()}`));
    });
  });
}
