import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.ts";
import { createInstance, type Instance } from "../../src/instance.ts";
import { createTestDatabase, dialect, queryRows } from "../helpers/database.ts";

describe(`starting on a new ${dialect} database`, () => {
  let dir: string;
  let location: string;
  const instances: Instance[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "connexo-db-"));
    location = await createTestDatabase(dir);
  });
  afterEach(async () => {
    for (const instance of instances.splice(0)) await instance.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lets several processes start at once: the schema is made once, and one instance actor", async () => {
    const config = loadConfig({ CONNEXO_DATABASE: location, CONNEXO_LOG_LEVEL: "error" });
    // Each instance has its own connections, as separate processes would.
    const started = await Promise.all(Array.from({ length: 4 }, () => createInstance(config)));
    instances.push(...started);
    const actorIds = await Promise.all(started.map(async (i) => (await i.store.actors.findByHandle("instance"))?.id));
    expect(new Set(actorIds).size).toBe(1);
    expect(actorIds[0]).toEqual(expect.any(Number));
    const rows = await queryRows<{ n: number }>(started[0]!.database, "SELECT count(*) AS n FROM actors WHERE kind = 'instance'");
    expect(rows).toEqual([{ n: 1 }]);
  });

  it("keeps its data across a restart, without migrating again", async () => {
    const config = loadConfig({ CONNEXO_DATABASE: location, CONNEXO_LOG_LEVEL: "error" });
    const first = await createInstance(config);
    await first.services.actors.createPerson({ handle: "alice", displayName: "Alice", password: "a long enough password" });
    await first.close();
    const second = await createInstance(config);
    instances.push(second);
    expect((await second.services.actors.find("alice"))?.displayName).toBe("Alice");
  });
});
