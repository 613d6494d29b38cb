import { createHash } from "node:crypto";
import { type AnyColumn, eq, getTableColumns, type Placeholder, type SQL, sql, type Table } from "drizzle-orm";
import type { Db, Tables } from "./unit.ts";

/** A query as drizzle's `.prepare(name)` hands it back: run with the values of its placeholders. */
export interface PreparedQuery<R> {
  execute(values?: Record<string, unknown>): Promise<R>;
}

const preparedOn = new WeakMap<Db, Map<string, PreparedQuery<unknown>>>();

/**
 * The query of this name on this connection, built (by `build`) the first
 * time it is asked for and kept: later calls only fill in its placeholders
 * (`sql.placeholder(…)`) and run it. Building a query through drizzle costs
 * about twenty times what running a simple one does on SQLite, and the inbox
 * and the busiest pages run a dozen each time, so those are prepared.
 *
 * A name stands for one SQL text: a query whose shape varies (an optional
 * condition, the fields an insert gives) puts the variant in its name; a
 * list goes as one parameter (`Dialect.inListParameter`). On PostgreSQL
 * the name is also the server-side statement's, prepared once per connection.
 *
 * Queries are kept per connection object. On SQLite that is the reading
 * connection or the writing one, for as long as they are open; on
 * PostgreSQL each transaction is its own object, so a query used inside one
 * is built once per transaction (as it would be unprepared) and let go with it.
 */
export function prepared<R>(db: Db, name: string, build: (db: Db, name: string) => PreparedQuery<R>): PreparedQuery<R> {
  let queries = preparedOn.get(db);
  if (!queries) {
    queries = new Map();
    preparedOn.set(db, queries);
  }
  let query = queries.get(name) as PreparedQuery<R> | undefined;
  if (!query) {
    query = build(db, statementName(name));
    queries.set(name, query);
  }
  return query;
}

/** PostgreSQL keeps 63 bytes of a statement's name: longer names are shortened to a prefix and a hash, which stay distinct. */
function statementName(name: string): string {
  return name.length <= 60 ? name : `${name.slice(0, 40)}_${createHash("sha256").update(name).digest("hex").slice(0, 16)}`;
}

/** The fields a record gives a value (an undefined field is left to its column's default, as drizzle does). */
const givenFields = (record: Record<string, unknown>) => Object.keys(record).filter((key) => record[key] !== undefined);

/**
 * What to insert for each field a record gives: a placeholder named after it,
 * or NULL itself for a null (drizzle would hand a placeholder's null to the
 * column's encoder, which writes a JSON column's null as the text "null").
 * The query's name must then come from `shapeOf` the same record.
 */
export function placeholdersFor<T extends Record<string, unknown>>(record: T): { [K in keyof T]: Placeholder | SQL } {
  const values: Record<string, Placeholder | SQL> = {};
  for (const key of givenFields(record)) values[key] = record[key] === null ? sql`null` : sql.placeholder(key);
  return values as { [K in keyof T]: Placeholder | SQL };
}

/**
 * For an upsert's `set`: each field of the table's that a record gives,
 * taken from the row that was to be inserted (`excluded.…`, in both SQLite
 * and PostgreSQL), so that a prepared upsert needs each value once. Fields
 * that are no column are left out, as drizzle's own `set` does.
 */
export function excludedFor(table: Table, record: Record<string, unknown>): Record<string, SQL> {
  const columns = getTableColumns(table);
  const set: Record<string, SQL> = {};
  for (const key of givenFields(record)) {
    const column = columns[key];
    if (column) set[key] = sql`excluded.${sql.identifier(column.name)}`;
  }
  return set;
}

/** The fields a record gives (and which of them are null), as part of the name of a query whose SQL depends on them. */
export const shapeOf = (record: Record<string, unknown>): string =>
  givenFields(record)
    .sort()
    .map((key) => (record[key] === null ? `${key}=null` : key))
    .join(",");

/**
 * The rows of a table whose column equals a value (`execute({ value })`),
 * prepared under this name: the lookups by id, handle or URI that every page
 * and activity makes.
 */
export function rowsWhere<T extends Table>(db: Db, name: string, table: T, column: AnyColumn): PreparedQuery<T["$inferSelect"][]> {
  return prepared(db, name, (db, statement) =>
    db
      .select()
      .from(table as unknown as Tables["actors"])
      .where(eq(column, sql.placeholder("value")))
      .prepare(statement),
  ) as unknown as PreparedQuery<T["$inferSelect"][]>;
}
