// Prepared queries: kept per connection and name, and named so that
// PostgreSQL (which keeps 63 bytes of a statement's name) tells them apart.
import { describe, expect, it } from "vitest";
import { is, Placeholder, SQL } from "drizzle-orm";
import { placeholdersFor, type PreparedQuery, prepared, shapeOf } from "../../src/storage/drizzle/prepared.ts";
import type { Db } from "../../src/storage/drizzle/unit.ts";

/** A stand-in connection that records the names its queries were built with. */
function connection() {
  const built: string[] = [];
  const db = {} as Db;
  const build = (_db: Db, name: string): PreparedQuery<string> => {
    built.push(name);
    return { execute: async () => name };
  };
  return { db, built, build };
}

describe("prepared queries", () => {
  it("builds a query once per connection and name", async () => {
    const one = connection();
    const other = connection();
    expect(await prepared(one.db, "actor_by_id", one.build).execute()).toBe("actor_by_id");
    await prepared(one.db, "actor_by_id", one.build).execute();
    await prepared(one.db, "post_by_id", one.build).execute();
    await prepared(other.db, "actor_by_id", other.build).execute();
    expect(one.built).toEqual(["actor_by_id", "post_by_id"]);
    expect(other.built).toEqual(["actor_by_id"]);
  });

  it("shortens long names to fit PostgreSQL, keeping names that differ only at the end apart", () => {
    const { db, built, build } = connection();
    const long = `notification_add:${"actorId,createdAt,details,groupKey,kind,postId,recipientId,source,subjectUri"}`;
    prepared(db, long, build);
    prepared(db, `${long},actorName`, build);
    expect(built).toHaveLength(2);
    for (const name of built) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
    expect(built[0]).not.toBe(built[1]);
    expect(built[0]!.startsWith("notification_add:")).toBe(true);
  });

  it("names a record's shape by the fields it gives and which are null, in any order", () => {
    expect(shapeOf({ b: 1, a: null, c: undefined })).toBe("a=null,b");
    expect(shapeOf({ a: 2, b: "x" })).toBe(shapeOf({ b: "y", a: 3 }));
    expect(shapeOf({ a: null, b: "x" })).not.toBe(shapeOf({ a: 2, b: "x" }));
  });

  it("inserts a null as NULL itself, not through a placeholder the column would encode", () => {
    const values = placeholdersFor({ details: null, kind: "reply", later: undefined });
    expect(is(values.details, Placeholder)).toBe(false);
    expect(is(values.details, SQL)).toBe(true);
    expect(is(values.kind, Placeholder)).toBe(true);
    expect(values).not.toHaveProperty("later");
  });
});
