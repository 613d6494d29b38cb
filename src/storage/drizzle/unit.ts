import type { Clock } from "../../domain/clock.ts";
import type { Placeholder, SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { AnyColumn } from "drizzle-orm";
import type * as schema from "../postgres/schema.ts";

/**
 * The tables as the repositories see them. Both dialects define the same
 * tables with the same columns (test/storage/schema-parity.test.ts fails
 * otherwise) and drizzle maps their values to the same JavaScript types
 * (numbers for times, booleans, parsed JSON), so the repositories are written
 * once, against PostgreSQL's typing, and run on either schema.
 */
export type Tables = typeof schema;

/**
 * A connection as the repositories use it: drizzle's query builders, awaited.
 * On SQLite the same builders run synchronously underneath; only what both
 * dialects support is used (no `.for("update")`, no `execute`; counts of
 * changed rows come from `.returning()`).
 */
export type Db = PgDatabase<PgQueryResultHKT, Tables>;

/** The little SQL that differs by dialect. */
export interface Dialect {
  /** Whether a JSON array of strings holds this string exactly. */
  jsonArrayHas(column: AnyColumn, value: string | Placeholder): SQL;
  /** Whether a JSON array of strings holds this string, ignoring case. */
  jsonArrayHasIgnoringCase(column: AnyColumn, value: string | Placeholder): SQL;
  /**
   * Whether a column's value is one of a list given as one parameter, so
   * that a prepared query takes lists of any length; `listParameter` makes
   * the parameter's value.
   */
  inListParameter(column: AnyColumn, parameter: Placeholder): SQL;
  listParameter(items: readonly (string | number)[]): unknown;
  /** Whether an error is a unique constraint failing, optionally a particular one. */
  isUniqueViolation(error: unknown, constraint?: string): boolean;
}

/**
 * Where repositories read and write. Outside a transaction, reads see what is
 * committed and each write commits on its own; inside one, both go to the
 * transaction.
 */
export interface Unit {
  readonly db: Db;
  readonly tables: Tables;
  readonly dialect: Dialect;
  /** The time, for what storage stamps itself (when queued events fall due). */
  readonly now: Clock;
  /**
   * Runs one statement that changes data: part of this unit's transaction, or
   * committed on its own (a single statement needs no transaction around it).
   */
  write<T>(statement: (db: Db) => Promise<T>): Promise<T>;
  /** Runs the work in this unit's transaction, or in a new one when there is none. */
  transaction<T>(work: (tx: Unit) => Promise<T>): Promise<T>;
  /** Lets queue workers know, once this transaction commits, that the queue has new messages. */
  queueWritten(queue: string): Promise<void>;
  /**
   * A number that changes whenever anything is committed to the database, by
   * this process or another: for keeping what a read found until then.
   * Only outside transactions, and only where reading it is cheap (SQLite's
   * data_version on the reading connection); absent elsewhere.
   */
  readonly commitVersion?: () => number;
}
