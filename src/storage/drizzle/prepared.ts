import { createHash } from "node:crypto";
import { getTableColumns, type Placeholder, type SQL, sql, type Table } from "drizzle-orm";
import type { Db } from "./unit.ts";

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
 * condition, a list's length) puts the variant in its name. On PostgreSQL
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

/** A placeholder for each field a record gives, named after it: for inserting records of that shape. */
export function placeholdersFor<T extends Record<string, unknown>>(record: T): { [K in keyof T]: Placeholder } {
  const placeholders: Record<string, Placeholder> = {};
  for (const key of givenFields(record)) placeholders[key] = sql.placeholder(key);
  return placeholders as { [K in keyof T]: Placeholder };
}

/**
 * For an upsert's `set`: each field a record gives, taken from the row that
 * was to be inserted (`excluded.…`, in both SQLite and PostgreSQL), so that a
 * prepared upsert needs each value once.
 */
export function excludedFor(table: Table, record: Record<string, unknown>): Record<string, SQL> {
  const columns = getTableColumns(table);
  const set: Record<string, SQL> = {};
  for (const key of givenFields(record)) set[key] = sql`excluded.${sql.identifier(columns[key]!.name)}`;
  return set;
}

/** The fields a record gives, as part of the name of a query whose SQL depends on them. */
export const shapeOf = (record: Record<string, unknown>): string => givenFields(record).sort().join(",");

/** `count` placeholders for the items of a list, named `{name}0`, `{name}1`…: for an `in (…)` of that many. */
export const listPlaceholders = (name: string, count: number): Placeholder[] =>
  Array.from({ length: count }, (_, i) => sql.placeholder(`${name}${i}`));

/** The values that fill `listPlaceholders(name, items.length)`. */
export function listValues(name: string, items: readonly unknown[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  items.forEach((item, i) => {
    values[`${name}${i}`] = item;
  });
  return values;
}
