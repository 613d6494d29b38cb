// Two processes on one SQLite file, as two connections: one hears of what the other enqueues.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createQueueTable } from "../../src/storage/queue-table.ts";
import { openSqlite, type SqliteDatabase } from "../../src/storage/sqlite/database.ts";
import { eventually } from "../helpers/eventually.ts";

describe("SQLite: hearing of messages other processes enqueue", () => {
  let dir: string;
  let here: SqliteDatabase;
  let elsewhere: SqliteDatabase;
  let heard: string[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "connexo-commit-watch-"));
    here = openSqlite(join(dir, "connexo.sqlite"));
    elsewhere = openSqlite(join(dir, "connexo.sqlite"));
    heard = [];
    here.signal.on("enqueued", (queue) => heard.push(queue));
    here.listenForQueues();
  });
  afterEach(async () => {
    await here.close();
    await elsewhere.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const message = (n: number) => ({ payload: JSON.stringify(n), origin: null });

  it("signals each queue that another connection enqueued on, every time, and once per commit", async () => {
    const theirs = createQueueTable(elsewhere);
    await theirs.insert("fedify", [message(1), message(2)], null, Date.now());
    await eventually(() => heard.length >= 1, 5000, "the first message heard of");
    await theirs.insert("events", [message(3)], null, Date.now());
    await eventually(() => heard.length >= 2, 5000, "the second heard of");
    await theirs.insert("fedify", [message(4)], null, Date.now());
    await eventually(() => heard.length >= 3, 5000, "the third heard of");
    expect(heard).toEqual(["fedify", "events", "fedify"]);
  });

  it("says nothing of another connection's commits that enqueue nothing", async () => {
    elsewhere.sqlite.exec("CREATE TABLE scratch (n INTEGER)");
    elsewhere.sqlite.prepare("INSERT INTO scratch (n) VALUES (1)").run();
    // Something heard after those commits shows the watch has looked past them.
    await createQueueTable(elsewhere).insert("events", [message(1)], null, Date.now());
    await eventually(() => heard.length >= 1, 5000, "the message heard of");
    expect(heard).toEqual(["events"]);
  });
});
