// The SQLite and PostgreSQL schemas must describe the same tables: the same
// columns, nullability, primary keys, indexes and unique constraints. SQL types
// differ by dialect (integer against bigint, text against jsonb) and so do
// defaults, so neither is compared. Read from the drizzle definitions through
// drizzle's own introspection, so no database is needed.
import { is, SQL } from "drizzle-orm";
import {
  getTableConfig as getPgTableConfig,
  index as pgIndex,
  integer as pgInteger,
  PgTable,
  pgTable,
  text as pgText,
} from "drizzle-orm/pg-core";
import {
  getTableConfig as getSqliteTableConfig,
  index as sqliteIndex,
  integer as sqliteInteger,
  SQLiteTable,
  sqliteTable,
  text as sqliteText,
} from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as postgresSchema from "../../src/storage/postgres/schema.ts";
import * as sqliteSchema from "../../src/storage/sqlite/schema.ts";

interface TableShape {
  /** Column name → whether it is NOT NULL. */
  columns: Record<string, { notNull: boolean }>;
  /** Primary key columns, in key order (empty when the table has none). */
  primaryKey: string[];
  /** Index name → its columns in order, and whether it is unique or partial. */
  indexes: Record<string, { columns: string[]; unique: boolean; partial: boolean }>;
  /** Unique constraint name → its columns, from `.unique()` on a column or `unique().on(…)`. */
  uniqueConstraints: Record<string, string[]>;
}
type SchemaShape = Record<string, TableShape>;

/** What both dialects' getTableConfig give, reduced to the parts compared here. */
interface TableConfig {
  name: string;
  columns: readonly { name: string; notNull: boolean; primary: boolean; isUnique: boolean; uniqueName: string | undefined }[];
  primaryKeys: readonly { columns: readonly { name: string }[] }[];
  indexes: readonly { config: { name?: string; columns: readonly unknown[]; unique: boolean; where?: SQL | undefined } }[];
  uniqueConstraints: readonly { getName(): string | undefined; columns: readonly { name: string }[] }[];
}

function indexColumnName(column: unknown): string {
  if (is(column, SQL)) return "<expression>";
  const name = (column as { name?: unknown }).name;
  if (typeof name !== "string") throw new Error(`unexpected index column: ${String(column)}`);
  return name;
}

function byName<T>(entries: [string, T][]): Record<string, T> {
  const sorted = entries.toSorted(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const names = sorted.map(([name]) => name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) throw new Error(`two entries are named ${duplicate}`);
  return Object.fromEntries(sorted);
}

function describeTable(config: TableConfig): TableShape {
  const columnKey = config.columns.filter((c) => c.primary).map((c) => c.name);
  const compositeKeys = config.primaryKeys.map((pk) => pk.columns.map((c) => c.name));
  if (columnKey.length + compositeKeys.length > 1) throw new Error(`${config.name} declares more than one primary key`);
  return {
    columns: byName(config.columns.map((c) => [c.name, { notNull: c.notNull }])),
    primaryKey: compositeKeys[0] ?? columnKey,
    indexes: byName(
      config.indexes.map(({ config: i }) => [
        i.name ?? `<unnamed index on ${config.name}>`,
        { columns: i.columns.map(indexColumnName), unique: i.unique, partial: i.where !== undefined },
      ]),
    ),
    uniqueConstraints: byName([
      ...config.columns
        .filter((c) => c.isUnique)
        .map((c): [string, string[]] => [c.uniqueName ?? `<unnamed unique on ${c.name}>`, [c.name]]),
      ...config.uniqueConstraints.map((u): [string, string[]] => [
        u.getName() ?? `<unnamed unique on ${config.name}>`,
        u.columns.map((c) => c.name),
      ]),
    ]),
  };
}

function describeSqlite(tables: readonly SQLiteTable[]): SchemaShape {
  return byName(tables.map((t) => [getSqliteTableConfig(t).name, describeTable(getSqliteTableConfig(t))]));
}

function describePostgres(tables: readonly PgTable[]): SchemaShape {
  return byName(tables.map((t) => [getPgTableConfig(t).name, describeTable(getPgTableConfig(t))]));
}

const sqliteTables = Object.values(sqliteSchema as Record<string, unknown>).filter((v): v is SQLiteTable => is(v, SQLiteTable));
const postgresTables = Object.values(postgresSchema as Record<string, unknown>).filter((v): v is PgTable => is(v, PgTable));

describe("the SQLite and PostgreSQL schemas", () => {
  const sqlite = describeSqlite(sqliteTables);
  const postgres = describePostgres(postgresTables);

  it("have the same tables, columns, nullability, primary keys, indexes and unique constraints", () => {
    // Guard against comparing two empty descriptions.
    expect(Object.keys(sqlite)).toContain("posts");
    expect(sqlite["posts"]?.indexes).toHaveProperty("posts_by_author");
    expect(sqlite).toEqual(postgres);
  });

  describe("comparison notices a change in one dialect", () => {
    /** Each changes a copy of the description in place, and throws if what it changes is not there. */
    const changes: [string, (schema: SchemaShape) => void][] = [
      ["a table dropped", (s) => drop(s, "settings")],
      ["a column dropped", (s) => drop(table(s, "posts").columns, "summary")],
      ["a NOT NULL flipped", (s) => flip(column(s, "posts", "title"))],
      ["primary key columns reordered", (s) => reorder(table(s, "memberships").primaryKey)],
      ["index columns reordered", (s) => reorder(indexOf(s, "posts", "posts_by_author").columns)],
      [
        "an index made unique",
        (s) => {
          indexOf(s, "decisions", "decisions_by_status").unique = true;
        },
      ],
      ["an index renamed", (s) => rename(table(s, "replies").indexes, "replies_by_post", "replies_by_parent")],
      ["a unique constraint dropped", (s) => drop(table(s, "actors").uniqueConstraints, "actors_handle_unique")],
    ];

    it.each(changes)("%s", (_, change) => {
      const changed = structuredClone(postgres);
      change(changed);
      expect(changed).not.toEqual(postgres);
    });

    it("reads index order and nullability from the drizzle definitions, not just names", () => {
      const sqliteNotes = sqliteTable(
        "notes",
        { id: sqliteInteger("id").primaryKey(), a: sqliteText("a").notNull(), b: sqliteText("b") },
        (t) => [sqliteIndex("notes_by_a_b").on(t.a, t.b)],
      );
      const pgSame = pgTable("notes", { id: pgInteger("id").primaryKey(), a: pgText("a").notNull(), b: pgText("b") }, (t) => [
        pgIndex("notes_by_a_b").on(t.a, t.b),
      ]);
      const pgReordered = pgTable("notes", { id: pgInteger("id").primaryKey(), a: pgText("a").notNull(), b: pgText("b") }, (t) => [
        pgIndex("notes_by_a_b").on(t.b, t.a),
      ]);
      const pgNullable = pgTable("notes", { id: pgInteger("id").primaryKey(), a: pgText("a"), b: pgText("b") }, (t) => [
        pgIndex("notes_by_a_b").on(t.a, t.b),
      ]);
      expect(describeSqlite([sqliteNotes])).toEqual(describePostgres([pgSame]));
      expect(describeSqlite([sqliteNotes])).not.toEqual(describePostgres([pgReordered]));
      expect(describeSqlite([sqliteNotes])).not.toEqual(describePostgres([pgNullable]));
    });
  });
});

function table(schema: SchemaShape, name: string): TableShape {
  const found = schema[name];
  if (!found) throw new Error(`no table ${name}`);
  return found;
}

function column(schema: SchemaShape, tableName: string, name: string): { notNull: boolean } {
  const found = table(schema, tableName).columns[name];
  if (!found) throw new Error(`no column ${tableName}.${name}`);
  return found;
}

function indexOf(schema: SchemaShape, tableName: string, name: string): TableShape["indexes"][string] {
  const found = table(schema, tableName).indexes[name];
  if (!found) throw new Error(`no index ${name} on ${tableName}`);
  return found;
}

function drop(record: Record<string, unknown>, key: string): void {
  if (!(key in record)) throw new Error(`nothing named ${key} to drop`);
  delete record[key];
}

function rename(record: Record<string, unknown>, from: string, to: string): void {
  if (!(from in record) || to in record) throw new Error(`cannot rename ${from} to ${to}`);
  record[to] = record[from];
  delete record[from];
}

function flip(column: { notNull: boolean }): void {
  column.notNull = !column.notNull;
}

function reorder(columns: string[]): void {
  if (new Set(columns).size < 2) throw new Error(`cannot reorder ${columns.join(", ")}`);
  columns.reverse();
}
