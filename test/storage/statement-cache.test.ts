import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { cacheStatements } from "../../src/storage/sqlite/statement-cache.ts";

describe("the SQLite statement cache", () => {
  let connection: BetterSqlite3.Database;
  afterEach(() => connection?.close());

  function open(limit?: number) {
    connection = new BetterSqlite3(":memory:");
    connection.exec("CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'one'), (2, 'two')");
    cacheStatements(connection, limit);
    return connection;
  }

  it("hands back the statement it compiled for the same SQL", () => {
    const db = open();
    const first = db.prepare("SELECT a FROM t WHERE a = ?");
    expect(db.prepare("SELECT a FROM t WHERE a = ?")).toBe(first);
    expect(db.prepare("SELECT b FROM t WHERE a = ?")).not.toBe(first);
  });

  it("sets a statement back to plain rows whatever mode its last user chose", () => {
    const db = open();
    expect(db.prepare("SELECT a, b FROM t ORDER BY a").raw().all()).toEqual([
      [1, "one"],
      [2, "two"],
    ]);
    expect(db.prepare("SELECT a, b FROM t ORDER BY a").all()).toEqual([
      { a: 1, b: "one" },
      { a: 2, b: "two" },
    ]);
    expect(db.prepare("SELECT a, b FROM t ORDER BY a").pluck().all()).toEqual([1, 2]);
    expect(db.prepare("SELECT a, b FROM t ORDER BY a").get()).toEqual({ a: 1, b: "one" });
    // Statements that return nothing have no mode to set back.
    expect(db.prepare("UPDATE t SET b = ? WHERE a = ?").run("uno", 1).changes).toBe(1);
    expect(db.prepare("UPDATE t SET b = ? WHERE a = ?").run("dos", 2).changes).toBe(1);
  });

  it("keeps only the most recently used statements", () => {
    const db = open(2);
    const a = db.prepare("SELECT 1");
    const b = db.prepare("SELECT 2");
    expect(db.prepare("SELECT 1")).toBe(a);
    db.prepare("SELECT 3");
    // SELECT 2 was the least recently used, so it made room.
    expect(db.prepare("SELECT 1")).toBe(a);
    expect(db.prepare("SELECT 2")).not.toBe(b);
  });
});
