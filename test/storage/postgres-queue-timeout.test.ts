import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/storage/database.ts";
import { PostgresQueueTable } from "../../src/storage/postgres/queue-table.ts";
import { createTestDatabase, dialect, queryRows } from "../helpers/database.ts";

/** A statement of the queue stuck behind a lock fails after its timeout, and the ones after it go on. */
describe.skipIf(dialect !== "postgres")("the queue's statements on PostgreSQL", () => {
  let dir: string;
  let url: string;
  let database: Database;
  let locker: pg.Client;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "connexo-test-"));
    url = await createTestDatabase(dir);
    database = await openDatabase(url);
    locker = new pg.Client({ connectionString: url });
    await locker.connect();
  });
  afterEach(async () => {
    await locker.end();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives up on a removal stuck behind a lock, and removes again once the lock is gone", async () => {
    if (database.kind !== "postgres") throw new Error("PostgreSQL only");
    const table = new PostgresQueueTable(database, { statementTimeoutMs: 300 });
    await table.insert("test", [{ payload: "{}", origin: null }], null, 0);
    const [message] = await table.claim("test", 0, 60_000, 1, { perOrigin: 1, running: {} });
    // Someone holds the table: the removal waits on them.
    await locker.query("BEGIN");
    await locker.query("LOCK TABLE queue_messages IN ACCESS EXCLUSIVE MODE");
    const started = Date.now();
    await expect(table.remove([message!.id])).rejects.toThrow(/timeout/i);
    expect(Date.now() - started).toBeLessThan(5_000);
    await locker.query("ROLLBACK");
    await table.remove([message!.id]);
    expect(await queryRows(database, "SELECT id FROM queue_messages")).toEqual([]);
  });
});
