import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KvKey } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createKvStore, type SweepableKvStore } from "../../federation/kv.ts";
import { createStore, openDatabase, type Database } from "../../src/storage/database.ts";
import { holdTransactionOpen } from "../helpers/open-transaction.ts";
import { createTestDatabase, dialect, queryRows } from "../helpers/database.ts";

/** Moves the clock the store reads on: entries expire without waiting. */
const later = (ms: number) => vi.setSystemTime(Date.now() + ms);
const ttl = (milliseconds: number) => ({ ttl: Temporal.Duration.from({ milliseconds }) });

async function listAll(kv: SweepableKvStore, prefix?: KvKey) {
  const entries = [];
  for await (const entry of kv.list(prefix)) entries.push(entry);
  return entries;
}

describe(`Key-value store on ${dialect}`, () => {
  let dir: string;
  let location: string;
  let database: Database;
  let kv: SweepableKvStore;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    dir = mkdtempSync(join(tmpdir(), "connexo-kv-"));
    location = await createTestDatabase(dir);
    database = await openDatabase(location);
    kv = createKvStore(database);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gets, sets, overwrites and deletes JSON values", async () => {
    expect(await kv.get(["a"])).toBeUndefined();
    await kv.set(["a", "b"], { n: 1, list: [1, "two", null] });
    expect(await kv.get(["a", "b"])).toEqual({ n: 1, list: [1, "two", null] });
    await kv.set(["a", "b"], "again");
    expect(await kv.get(["a", "b"])).toBe("again");
    await kv.delete(["a", "b"]);
    expect(await kv.get(["a", "b"])).toBeUndefined();
    // Deleting what is not there is fine.
    await expect(kv.delete(["nothing"])).resolves.toBeUndefined();
  });

  it("keeps keys apart by their segments", async () => {
    await kv.set(["a", "b"], 1);
    await kv.set(["a,b"], 2);
    expect(await kv.get(["a", "b"])).toBe(1);
    expect(await kv.get(["a,b"])).toBe(2);
  });

  it("forgets a value after its TTL, and sweep removes it", async () => {
    await kv.set(["short"], "soon gone", ttl(50));
    await kv.set(["long"], "stays", ttl(60_000));
    await kv.set(["forever"], "stays");
    expect(await kv.get(["short"])).toBe("soon gone");
    later(80);
    expect(await kv.get(["short"])).toBeUndefined();
    expect(await kv.get(["long"])).toBe("stays");
    expect((await listAll(kv)).map((e) => e.key)).toEqual([["forever"], ["long"]]);
    expect(await kv.sweep()).toBe(1);
    expect(await queryRows(database, "SELECT count(*) AS n FROM kv")).toEqual([{ n: 2 }]);
  });

  it("setting again without a TTL makes a value permanent", async () => {
    await kv.set(["k"], 1, ttl(50));
    await kv.set(["k"], 2);
    later(80);
    expect(await kv.get(["k"])).toBe(2);
  });

  describe("cas", () => {
    it("swaps when the current value is the expected one", async () => {
      await kv.set(["c"], { a: 1, b: [1, 2] });
      expect(await kv.cas(["c"], { a: 1, b: [1, 2] }, { a: 2 })).toBe(true);
      expect(await kv.get(["c"])).toEqual({ a: 2 });
    });

    it("refuses when the current value differs, and leaves it", async () => {
      await kv.set(["c"], 1);
      expect(await kv.cas(["c"], 2, 3)).toBe(false);
      expect(await kv.get(["c"])).toBe(1);
    });

    it("with expected undefined, creates only when the key is absent", async () => {
      expect(await kv.cas(["new"], undefined, "first")).toBe(true);
      expect(await kv.get(["new"])).toBe("first");
      expect(await kv.cas(["new"], undefined, "second")).toBe(false);
      expect(await kv.get(["new"])).toBe("first");
    });

    it("treats an expired value as absent", async () => {
      await kv.set(["e"], "old", ttl(30));
      later(60);
      expect(await kv.cas(["e"], "old", "x")).toBe(false);
      expect(await kv.cas(["e"], undefined, "fresh")).toBe(true);
      expect(await kv.get(["e"])).toBe("fresh");
    });

    it("deletes when the new value is undefined", async () => {
      await kv.set(["d"], "v");
      expect(await kv.cas(["d"], "v", undefined)).toBe(true);
      expect(await kv.get(["d"])).toBeUndefined();
    });

    it("sets a TTL on the new value", async () => {
      expect(await kv.cas(["t"], undefined, "v", ttl(30))).toBe(true);
      later(60);
      expect(await kv.get(["t"])).toBeUndefined();
    });

    it("lets exactly one of many concurrent swaps win, across two connections", async () => {
      const other = await openDatabase(location);
      try {
        const stores = [kv, createKvStore(other)];
        const creates = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 2]!.cas(["lock"], undefined, i)));
        expect(creates.filter(Boolean)).toHaveLength(1);
        const winner = await kv.get<number>(["lock"]);
        expect(creates[winner!]).toBe(true);
        const bumps = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 2]!.cas(["lock"], winner, 100 + i)));
        expect(bumps.filter(Boolean)).toHaveLength(1);
      } finally {
        await other.close();
      }
    });

    it("compares as stored: a value with an undefined property equals one without it", async () => {
      await kv.set(["j"], { a: 1, b: undefined });
      expect(await kv.cas(["j"], { a: 1, b: undefined }, "next")).toBe(true);
    });
  });

  describe("list", () => {
    beforeEach(async () => {
      await kv.set(["a"], 0);
      await kv.set(["a", "x"], 1);
      await kv.set(["a", "y", "z"], 2);
      await kv.set(["ab"], 3);
      await kv.set(["ab", "x"], 4);
      await kv.set(["b"], 5);
    });

    it("lists the key itself and keys below a prefix, not keys whose first segment only starts alike", async () => {
      // KvStore promises no order, so compare as sets.
      const entries = await listAll(kv, ["a"]);
      expect(entries).toHaveLength(3);
      expect(entries).toEqual(
        expect.arrayContaining([
          { key: ["a"], value: 0 },
          { key: ["a", "x"], value: 1 },
          { key: ["a", "y", "z"], value: 2 },
        ]),
      );
    });

    it("lists by a longer prefix", async () => {
      expect((await listAll(kv, ["a", "y"])).map((e) => e.key)).toEqual([["a", "y", "z"]]);
      const ab = (await listAll(kv, ["ab"])).map((e) => e.key);
      expect(ab).toHaveLength(2);
      expect(ab).toEqual(expect.arrayContaining([["ab"], ["ab", "x"]]));
      expect(await listAll(kv, ["nothing"])).toEqual([]);
    });

    it("lists everything with no prefix or an empty one", async () => {
      const all = await listAll(kv);
      expect(all).toHaveLength(6);
      expect(all.map((e) => e.value).sort()).toEqual([0, 1, 2, 3, 4, 5]);
      expect(await listAll(kv, [] as unknown as KvKey)).toHaveLength(6);
    });

    it("leaves out expired entries", async () => {
      await kv.set(["a", "gone"], 9, ttl(20));
      later(50);
      expect((await listAll(kv, ["a"])).map((e) => e.key)).not.toContainEqual(["a", "gone"]);
    });
  });

  it("keeps what it writes while a transaction of the store is open, when that transaction rolls back", async () => {
    const transaction = await holdTransactionOpen(createStore(database));
    const writes = Promise.all([kv.set(["set"], 1), kv.cas(["swapped"], undefined, 2)]);
    transaction.rollBack();
    await expect(transaction.ended).rejects.toThrow("rolled back");
    expect(await writes).toEqual([undefined, true]);
    expect(await kv.get(["set"])).toBe(1);
    expect(await kv.get(["swapped"])).toBe(2);
  });

  it("keeps values across reopening the file", async () => {
    await kv.set(["persist"], { ok: true });
    await database.close();
    database = await openDatabase(location);
    kv = createKvStore(database);
    expect(await kv.get(["persist"])).toEqual({ ok: true });
  });
});
