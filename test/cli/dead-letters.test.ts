import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { createQueueTable } from "../../src/storage/queue-table.ts";
import { createTestDatabase, dialect } from "../helpers/database.ts";

describe(`dead-letters commands (${dialect})`, () => {
  let dir: string;
  let database: string;

  const cli = (...args: string[]) =>
    runCli({ CONNEXO_DATABASE: database, CONNEXO_MEDIA_DIR: join(dir, "media"), CONNEXO_LOG_LEVEL: "error" }, ...args);

  /** Runs work on the queue table, with the database open only meanwhile. */
  async function withTable<T>(work: (table: ReturnType<typeof createQueueTable>) => Promise<T>): Promise<T> {
    const db = await openDatabase(database);
    try {
      return await work(createQueueTable(db));
    } finally {
      await db.close();
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "connexo-dead-"));
    database = await createTestDatabase(dir);
    const delivery = (inbox: string, n: number) => ({
      payload: JSON.stringify({ type: "outbox", inbox, activityType: "Create", activityId: `https://here.example/activities/${n}` }),
      origin: new URL(inbox).origin,
    });
    await withTable((table) =>
      table.insert(
        "fedify:dead",
        [delivery("https://a.example/inbox", 1), delivery("https://a.example/inbox", 2), delivery("https://b.example/inbox", 3)],
        null,
        Date.now(),
      ),
    );
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const dead = () => withTable((table) => table.listDead(["fedify"], 100));

  it("lists them by server, retries one and a server's, discards the rest", async () => {
    const listed = await cli("dead-letters");
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(
      /^https:\/\/a\.example: 2 messages\n {2}#\d+ delivery Create to https:\/\/a\.example\/inbox https:\/\/here\.example\/activities\/2; 0 attempts, died 20/m,
    );
    expect(listed.stdout).toContain("https://b.example: 1 message\n");

    const [one] = (await dead()).filter((m) => m.origin === "https://a.example");
    const retried = await cli("dead-letters", "retry", String(one!.id));
    expect(retried.stdout).toBe("1 message put back on the queue, to be tried at once.\n");
    const server = await cli("dead-letters", "retry", "--origin", "https://a.example/anything");
    expect(server.stdout).toBe("1 message put back on the queue, to be tried at once.\n");
    expect((await dead()).map((m) => m.origin)).toEqual(["https://b.example"]);
    expect((await withTable((table) => table.depth("fedify", Date.now() + 1))).ready).toBe(2);

    const discarded = await cli("dead-letters", "discard", "--all");
    expect(discarded.stdout).toBe("1 message discarded.\n");
    expect(await dead()).toEqual([]);
    expect((await cli("dead-letters")).stdout).toBe("No dead messages.\n");
  }, 120_000);

  it("refuses what it cannot act on", async () => {
    const unknown = await cli("dead-letters", "retry", "999999");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("There is no dead message 999999.");
    const both = await cli("dead-letters", "discard", "12", "--all");
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("Name one message by its number");
    const what = await cli("dead-letters", "resend");
    expect(what.code).toBe(1);
  }, 60_000);
});
