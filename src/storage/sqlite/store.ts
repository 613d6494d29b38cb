import type { Clock } from "../../domain/clock.ts";
import { type AnyColumn, type Placeholder, sql } from "drizzle-orm";
import { storeOn } from "../drizzle/store.ts";
import type { Db, Dialect, Tables, Unit } from "../drizzle/unit.ts";
import type { Store } from "../repositories.ts";
import type { SqliteDatabase } from "./database.ts";
import * as schema from "./schema.ts";

export const sqliteDialect: Dialect = {
  jsonArrayHas: (column: AnyColumn, value: string | Placeholder) =>
    sql`exists (select 1 from json_each(${column}) where json_each.value = ${value})`,
  jsonArrayHasIgnoringCase: (column: AnyColumn, value: string | Placeholder) =>
    sql`exists (select 1 from json_each(${column}) where lower(json_each.value) = lower(${value}))`,
  inListParameter: (column: AnyColumn, parameter: Placeholder) => sql`${column} in (select value from json_each(${parameter}))`,
  listParameter: (items) => JSON.stringify(items),
  // SQLite names the columns, not the constraint, so any unique failure counts.
  isUniqueViolation: (error) => causes(error).some((e) => e.code === "SQLITE_CONSTRAINT_UNIQUE"),
};

function causes(error: unknown): { code?: unknown }[] {
  const chain: { code?: unknown; cause?: unknown }[] = [];
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e && chain.length < 10; e = e.cause as typeof e) chain.push(e);
  return chain;
}

// The SQLite schema has the same tables and columns as PostgreSQL's (see Tables).
const tables = schema as unknown as Tables;

/**
 * The Store on SQLite. Reads outside a transaction go to their own connection,
 * which sees only what is committed (WAL). Transactions run one at a time on
 * the writing connection (`database.writeLock`), from BEGIN IMMEDIATE, which
 * also waits for other processes' writers, to COMMIT; queue workers in this
 * process hear of new messages once the transaction has committed.
 */
export function createSqliteStore(database: SqliteDatabase, now: Clock): Store {
  const writer = database.db as unknown as Db;
  // The reading connection's data_version changes with every other connection's commit, not its own:
  // an in-memory database reads and writes on one connection, so it has none.
  const dataVersion = database.readerSqlite !== database.sqlite ? database.readerSqlite.prepare("PRAGMA data_version") : null;
  // Plucked on every call: the statement cache hands a statement out in its plain mode.
  const commitVersion = dataVersion ? () => dataVersion.pluck().get() as number : undefined;
  const root: Unit = {
    db: database.reader as unknown as Db,
    tables,
    dialect: sqliteDialect,
    now,
    // Under the lock, so that it never lands inside someone else's transaction.
    write: (statement) => database.writeLock.run(() => statement(writer)),
    async transaction(work) {
      const written = new Set<string>();
      const result = await database.writeLock.run(() => inTransaction(database, writer, now, written, work));
      // Told once the lock is let go, so that whoever wakes up may write at once.
      for (const queue of written) database.signal.emit("enqueued", queue);
      return result;
    },
    queueWritten: async (queue) => void database.signal.emit("enqueued", queue),
    ...(commitVersion ? { commitVersion } : {}),
  };
  return storeOn(root);
}

/** Runs the work between BEGIN IMMEDIATE and COMMIT (or ROLLBACK), noting the queues it wrote to. */
async function inTransaction<T>(
  database: SqliteDatabase,
  writer: Db,
  now: Clock,
  written: Set<string>,
  work: (tx: Unit) => Promise<T>,
): Promise<T> {
  const tx: Unit = {
    db: writer,
    tables,
    dialect: sqliteDialect,
    now,
    write: (statement) => statement(writer),
    transaction: (inner) => inner(tx),
    queueWritten: async (queue) => void written.add(queue),
  };
  database.sqlite.exec("BEGIN IMMEDIATE");
  let result: T;
  try {
    result = await work(tx);
    database.sqlite.exec("COMMIT");
  } catch (error) {
    if (database.sqlite.inTransaction) database.sqlite.exec("ROLLBACK");
    written.clear();
    throw error;
  }
  return result;
}
