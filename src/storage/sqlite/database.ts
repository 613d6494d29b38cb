import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { projectRoot } from "../../project-root.ts";
import { createQueueSignal, type QueueSignal } from "../queue-signal.ts";
import { watchOtherProcesses } from "./commit-watch.ts";
import { cacheStatements } from "./statement-cache.ts";
import { WriteLock } from "./write-lock.ts";
import * as schema from "./schema.ts";

export type Drizzle = BetterSQLite3Database<typeof schema>;
export type { QueueSignal };

/**
 * An open SQLite database: one connection that writes (raw, for hot paths,
 * and through drizzle), used by one transaction at a time under `writeLock`,
 * and one that only reads what is committed.
 */
export interface SqliteDatabase {
  kind: "sqlite";
  sqlite: BetterSqlite3.Database;
  db: Drizzle;
  /** The reading connection, through drizzle (the writing one itself for an in-memory database). */
  reader: Drizzle;
  /** The reading connection, raw, for hot paths. */
  readerSqlite: BetterSqlite3.Database;
  writeLock: WriteLock;
  /** Tells queue listeners in this process that a queue has new messages (once `listenForQueues` was called, those of other processes too). */
  signal: QueueSignal;
  /** Starts hearing of messages other processes enqueue in the same file; idempotent. */
  listenForQueues(): void;
  close(): Promise<void>;
}

const migrationsFolder = join(projectRoot, "migrations", "sqlite");

/** Opens (creating if needed) the SQLite file, and brings its schema up to date. */
export function openSqlite(path: string): SqliteDatabase {
  if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // WAL makes NORMAL durable against process crashes; only power loss can drop the last commits.
  sqlite.pragma("synchronous = NORMAL");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  cacheStatements(sqlite);
  const reading = path === ":memory:" ? sqlite : openReader(path);
  const signal = createQueueSignal();
  let stopWatching: (() => void) | null = null;
  return {
    kind: "sqlite",
    sqlite,
    db,
    reader: reading === sqlite ? db : drizzle(reading, { schema }),
    readerSqlite: reading,
    writeLock: new WriteLock(),
    signal,
    listenForQueues: () => {
      // A database in memory has no other process to hear of.
      if (path !== ":memory:") stopWatching ??= watchOtherProcesses(sqlite, reading, signal);
    },
    close: async () => {
      stopWatching?.();
      if (reading !== sqlite) reading.close();
      sqlite.close();
    },
  };
}

function openReader(path: string): BetterSqlite3.Database {
  const reader = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  reader.pragma("busy_timeout = 5000");
  cacheStatements(reader);
  return reader;
}
