import { createPublicKey } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import type { RemoteActorInput } from "../../src/domain/types.ts";
import { createTestDatabase, dialect, queryRows, testPostgresUrl } from "../helpers/database.ts";
import { type RunningInstance, seedCommunity, startInstance } from "../helpers/instance.ts";

/** `npm run connexo -- …` as a real process, on the given database and media folder. */
const cli = (env: { database: string; mediaDir: string }, ...args: string[]) =>
  runCli({ CONNEXO_DATABASE: env.database, CONNEXO_MEDIA_DIR: env.mediaDir, CONNEXO_LOG_LEVEL: "error" }, ...args);

/** What a restored instance must hold: the rows as they were, seen through SQL. */
async function snapshot(instance: RunningInstance) {
  const db = instance.database;
  const posts = await queryRows<{ id: string; title: string }>(db, "SELECT id, title FROM posts ORDER BY id");
  const followers = await queryRows<{ uri: string }>(
    db,
    "SELECT r.uri AS uri FROM followers f JOIN remote_actors r ON r.id = f.remote_actor_id ORDER BY r.uri",
  );
  const keys = await queryRows<{ handle: string; algorithm: string; public_jwk: string }>(
    db,
    "SELECT a.handle AS handle, k.algorithm AS algorithm, k.public_jwk AS public_jwk FROM actor_keys k JOIN actors a ON a.id = k.actor_id ORDER BY a.handle, k.algorithm",
  );
  const queue = await queryRows<{ queue: string; payload: string }>(db, "SELECT queue, payload FROM queue_messages ORDER BY id");
  return {
    posts,
    followers: followers.map((f) => f.uri),
    keys: keys.map((k) => ({
      handle: k.handle,
      algorithm: k.algorithm,
      pem: createPublicKey({ key: JSON.parse(k.public_jwk), format: "jwk" }).export({ type: "spki", format: "pem" }),
    })),
    queue: queue.map((m) => `${m.queue} ${typeof m.payload === "string" ? m.payload : JSON.stringify(m.payload)}`),
  };
}

/**
 * Backup while the instance writes, restore into a new database and media
 * folder, and start an instance on it; and the restores that must refuse.
 */
describe(`backup and restore (${dialect})`, () => {
  let dir: string;
  let source: { database: string; mediaDir: string };
  let instance: RunningInstance;
  let imageFile: string;
  let imageBytes: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "connexo-backup-"));
    source = { database: await createTestDatabase(dir), mediaDir: join(dir, "media") };
    // No worker: what the community publishes stays queued for its followers.
    instance = await startInstance(
      { CONNEXO_DATABASE: source.database, CONNEXO_MEDIA_DIR: source.mediaDir },
      { serve: false, worker: false },
    );
    const { person } = await seedCommunity(instance, { person: "alice", community: "team" });
    for (let i = 0; i < 3; i++) {
      const follower: RemoteActorInput = {
        uri: `https://social.example/users/reader${i}`,
        type: "Person",
        handle: `@reader${i}@social.example`,
        name: `Reader ${i}`,
        url: null,
        iconUrl: null,
        inbox: `https://social.example/users/reader${i}/inbox`,
        sharedInbox: "https://social.example/inbox",
      };
      expect(await instance.services.follows.receiveFollow("team", follower, `${follower.uri}#follows/team`)).toBe("accepted");
    }
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 0, g: 90, b: 50 } } })
      .png()
      .toBuffer();
    const image = await instance.services.media.upload(person, { bytes: png, alt: "A chart" });
    imageFile = image.fileName;
    imageBytes = readFileSync(join(source.mediaDir, imageFile));
    for (let i = 0; i < 20; i++) {
      await instance.services.weeknotes.publish("team", person, { title: `Week ${i}`, summary: `Summary ${i}.`, body: `Body ${i}` });
    }
  });
  afterAll(async () => {
    await instance?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("copies a running instance and restores it whole into a new database", async () => {
    const alice = await instance.services.actors.require("alice", "person");
    const before = await snapshot(instance);
    expect(before.queue.length).toBeGreaterThan(0);
    // Keep publishing while the backup runs.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await instance.services.weeknotes.publish("team", alice, { title: `During ${written}`, summary: "Meanwhile.", body: "More." });
        written++;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const archive = join(dir, "backup.tar.gz");
    const backup = await cli(source, "backup", "--to", archive);
    writing = false;
    await writer;
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(written).toBeGreaterThan(0);
    // Not a terminal: one line, with the size and counts.
    expect(backup.stdout.trim().split("\n")).toHaveLength(1);
    const mediaCount = readdirSync(source.mediaDir).length;
    expect(backup.stdout).toMatch(
      new RegExp(
        `Backed up the (SQLite|PostgreSQL) database and ${mediaCount} media files? to .*: [\\d.]+ (B|KB|MB), \\d+ actors, \\d+ posts, 3 followers`,
      ),
    );
    expect(existsSync(`${archive}.part`)).toBe(false);

    const target = { database: await createTestDatabase(join(dir, "restored")), mediaDir: join(dir, "restored", "media") };
    mkdirSync(join(dir, "restored"), { recursive: true });
    const restore = await cli(target, "restore", "--from", archive);
    expect(restore.stderr).toBe("");
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain("Restored the backup of");

    const restored = await startInstance(
      { CONNEXO_DATABASE: target.database, CONNEXO_MEDIA_DIR: target.mediaDir },
      { serve: false, worker: false },
    );
    try {
      const after = await snapshot(restored);
      // Every post there when the backup began, and perhaps some written during it.
      const ids = new Set(after.posts.map((p) => p.id));
      expect(before.posts.filter((p) => !ids.has(p.id))).toEqual([]);
      expect(after.posts.length).toBeGreaterThanOrEqual(before.posts.length);
      expect(after.followers).toEqual(before.followers);
      expect(after.keys).toEqual(before.keys);
      expect(after.keys.length).toBeGreaterThanOrEqual(4);
      // The queued deliveries: every message queued before, unless handled (none: no worker runs).
      expect(before.queue.filter((m) => !after.queue.includes(m))).toEqual([]);
      expect(readFileSync(join(target.mediaDir, imageFile))).toEqual(imageBytes);
      expect(readdirSync(target.mediaDir).sort()).toEqual(readdirSync(source.mediaDir).sort());
      // The restored instance works: it publishes.
      const restoredAlice = await restored.services.actors.require("alice", "person");
      const post = await restored.services.weeknotes.publish("team", restoredAlice, { title: "After", summary: "Restored.", body: "Yes." });
      expect(post.state).toBe("published");
    } finally {
      await restored.stop();
    }

    // A database that holds data is not overwritten without --force; with it, it is.
    const refused = await cli(target, "restore", "--from", archive);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("already holds data; restore with --force");
    const forced = await cli(target, "restore", "--from", archive, "--force");
    expect(forced.stderr).toBe("");
    expect(forced.code).toBe(0);

    // A damaged archive is refused before anything is written.
    const bytes = readFileSync(archive);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    const damaged = join(dir, "damaged.tar.gz");
    writeFileSync(damaged, bytes);
    const empty = { database: await createTestDatabase(join(dir, "empty")), mediaDir: join(dir, "empty", "media") };
    const corrupt = await cli(empty, "restore", "--from", damaged);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/damaged|cannot be read/);
    expect(existsSync(empty.mediaDir)).toBe(false);
    if (testPostgresUrl) {
      const tables = await listPostgresTables(empty.database);
      expect(tables).toEqual([]);
    } else {
      expect(existsSync(empty.database)).toBe(false);
      expect(existsSync(join(dir, "empty")) ? readdirSync(join(dir, "empty")) : []).toEqual([]);
    }

    // An archive of the other kind of database is refused too.
    const other = testPostgresUrl ? { database: join(dir, "other.sqlite"), mediaDir: join(dir, "other-media") } : null;
    if (other) {
      const wrong = await cli(other, "restore", "--from", archive);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain("holds a PostgreSQL database; this instance is configured for SQLite");
      expect(existsSync(other.database)).toBe(false);
    }
  });
});

async function listPostgresTables(url: string): Promise<string[]> {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
    );
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}
