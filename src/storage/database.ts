import type { Clock } from "../domain/clock.ts";
import type { Store } from "./repositories.ts";
import type { PostgresDatabase, PostgresOptions } from "./postgres/database.ts";
import { createPostgresStore } from "./postgres/store.ts";
import { createQueueTable, type DeadLetterTable } from "./queue-table.ts";
import { openSqlite, type SqliteDatabase } from "./sqlite/database.ts";
import { createSqliteStore } from "./sqlite/store.ts";

/** Connexo's database: SQLite embedded by default, PostgreSQL to scale out. */
export type Database = SqliteDatabase | PostgresDatabase;

export const isPostgresUrl = (location: string) => /^postgres(ql)?:\/\//.test(location);

/** The database could not be opened: unreachable, refused, or its schema could not be brought up to date. */
export class DatabaseUnavailableError extends Error {}

/** Opens the database at a file path or a `postgres://` URL, with its schema brought up to date. */
export async function openDatabase(location: string, options: PostgresOptions = {}): Promise<Database> {
  try {
    if (!isPostgresUrl(location)) return openSqlite(location);
    // The PostgreSQL driver loads only for a PostgreSQL database: an instance on SQLite starts sooner and holds less without it.
    const { openPostgres } = await import("./postgres/database.ts");
    return await openPostgres(location, options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseUnavailableError(`Could not open the database at ${withoutPassword(location)}: ${reason}`, { cause: error });
  }
}

/** A location fit for logs: a URL's password is replaced. */
export function withoutPassword(location: string): string {
  if (!isPostgresUrl(location) || !URL.canParse(location)) return location;
  const url = new URL(location);
  if (url.password) url.password = "***";
  return url.href;
}

/** The repositories services use, on whichever database this is. */
export function createStore(database: Database, now: Clock = () => Date.now()): Store {
  return database.kind === "postgres" ? createPostgresStore(database, now) : createSqliteStore(database, now);
}

/** The queues' dead letters on this database, for the service that lets operators retry or discard them. */
export function createDeadLetterTable(database: Database): DeadLetterTable {
  return createQueueTable(database);
}
