import type { Clock } from "../../domain/clock.ts";
import { type AnyColumn, type Placeholder, sql } from "drizzle-orm";
import { storeOn } from "../drizzle/store.ts";
import type { Db, Dialect, Tables, Unit } from "../drizzle/unit.ts";
import type { Store } from "../repositories.ts";
import type { PostgresDatabase } from "./database.ts";
import { QUEUE_CHANNEL } from "./queue-channel.ts";
import { isUniqueViolation } from "./errors.ts";
import * as schema from "./schema.ts";

export const postgresDialect: Dialect = {
  jsonArrayHas: (column: AnyColumn, value: string | Placeholder) => sql`${column} @> jsonb_build_array(${value}::text)`,
  jsonArrayHasIgnoringCase: (column: AnyColumn, value: string | Placeholder) =>
    sql`exists (select 1 from jsonb_array_elements_text(${column}) as t(tag) where lower(t.tag) = lower(${value}))`,
  // An array parameter: node-postgres sends a JavaScript array as one.
  inListParameter: (column: AnyColumn, parameter: Placeholder) => sql`${column} = any(${parameter})`,
  listParameter: (items) => [...items],
  isUniqueViolation,
};

const tables: Tables = schema;

/**
 * The Store on PostgreSQL: reads outside a transaction take any pooled
 * connection; each transaction is a real one on a connection of its own. A
 * transaction that writes to the queue NOTIFYs, which PostgreSQL delivers to
 * every process's workers when it commits.
 */
export function createPostgresStore(database: PostgresDatabase, now: Clock): Store {
  const root: Unit = {
    db: database.db as Db,
    tables,
    dialect: postgresDialect,
    now,
    write: (statement) => statement(database.db as Db),
    transaction: (work) => database.db.transaction((tx) => work(transactionUnit(tx as unknown as Db, now))),
    queueWritten: async (queue) => void (await database.db.execute(sql`SELECT pg_notify(${QUEUE_CHANNEL}, ${queue})`)),
  };
  return storeOn(root);
}

function transactionUnit(db: Db, now: Clock): Unit {
  const tx: Unit = {
    db,
    tables,
    dialect: postgresDialect,
    now,
    write: (statement) => statement(db),
    transaction: (inner) => inner(tx),
    queueWritten: async (queue) => void (await db.execute(sql`SELECT pg_notify(${QUEUE_CHANNEL}, ${queue})`)),
  };
  return tx;
}
