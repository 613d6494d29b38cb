import { existsSync } from "node:fs";
import { copyFile, mkdir, rename, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { BackupError } from "./archive.ts";
import { KEY_TABLES, type Progress } from "./progress.ts";

/** Tables of the migrator's own bookkeeping: they hold rows in a database that holds no data yet. */
const BOOKKEEPING = new Set(["__drizzle_migrations"]);

/**
 * Copies the database to `target` with SQLite's online backup API, on a
 * connection of its own: the instance goes on reading and writing meanwhile
 * (SQLite's own locking keeps the copy consistent; a write by another
 * connection restarts the copy, so each restart copies in larger steps, and
 * the last attempt in one). Returns the copy's row counts.
 */
export async function backupSqlite(path: string, target: string, onProgress: Progress): Promise<Record<string, number>> {
  if (!existsSync(path)) throw new BackupError(`There is no database at ${path}.`);
  const source = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    source.pragma("busy_timeout = 5000");
    let step = 0;
    let lastRemaining = Number.POSITIVE_INFINITY;
    await source.backup(target, {
      progress({ totalPages, remainingPages }) {
        if (step === 0) step = Math.max(100, Math.ceil(totalPages / 20));
        else if (remainingPages > lastRemaining) step *= 2;
        lastRemaining = remainingPages;
        onProgress({ phase: "database", done: totalPages - remainingPages, total: totalPages });
        return step;
      },
    });
  } finally {
    source.close();
  }
  // The copy keeps the source's WAL mode; as one file of its own it needs no log beside it.
  const copy = new BetterSqlite3(target);
  try {
    copy.pragma("journal_mode = DELETE");
    return countRows(copy);
  } finally {
    copy.close();
  }
}

/** Checks a copied database before anything is written: SQLite's integrity check, and the rows the manifest counted. */
export function checkSqliteCopy(path: string, counts: Record<string, number>): void {
  let copy: BetterSqlite3.Database;
  try {
    copy = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError(`The archive's database cannot be opened: ${(error as Error).message}`);
  }
  try {
    const integrity = copy.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") throw new BackupError(`The archive's database fails SQLite's integrity check: ${String(integrity)}`);
    const found = countRows(copy);
    for (const [table, n] of Object.entries(counts)) {
      if (found[table] !== n)
        throw new BackupError(`The archive's database holds ${found[table]} rows in ${table}; its manifest says ${n}.`);
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`The archive's database cannot be read: ${(error as Error).message}`);
  } finally {
    copy.close();
  }
}

/** Whether a database file exists with rows in any table. */
export function sqliteHoldsData(path: string): boolean {
  if (!existsSync(path)) return false;
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    return tables.some((table) => !BOOKKEEPING.has(table) && db.prepare(`SELECT 1 FROM "${table}" LIMIT 1`).get() !== undefined);
  } finally {
    db.close();
  }
}

/**
 * Puts the copy in place of the database file: written beside it, then
 * renamed over it, with the old file's write-ahead log removed first (it
 * belongs to the old file). Connexo must not be running on it.
 */
export async function restoreSqlite(copy: string, path: string): Promise<void> {
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  const aside = `${target}.restoring`;
  await copyFile(copy, aside);
  await rm(`${target}-wal`, { force: true });
  await rm(`${target}-shm`, { force: true });
  await rename(aside, target);
}

function countRows(db: BetterSqlite3.Database): Record<string, number> {
  const present = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  const counts: Record<string, number> = {};
  for (const table of KEY_TABLES) {
    if (present.has(table)) counts[table] = db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;
  }
  return counts;
}
