import { describe, expect, it } from "vitest";
import { batched } from "../../federation/batched.ts";

describe("batched", () => {
  it("writes what comes in one turn as one batch, and what comes while it is written as the next", async () => {
    const writes: number[][] = [];
    let release!: () => void;
    const firstWrite = new Promise<void>((resolve) => {
      release = resolve;
    });
    const add = batched(async (items: number[]) => {
      writes.push([...items]);
      if (writes.length === 1) await firstWrite;
    });
    const first = [1, 2, 3].map(add);
    // Once the first batch is being written, newcomers wait for it.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([[1, 2, 3]]);
    const second = [4, 5].map(add);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(writes).toEqual([[1, 2, 3]]);
    release();
    await Promise.all([...first, ...second]);
    expect(writes).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it("fails the calls of a batch that could not be written, and writes the next", async () => {
    let fail = true;
    const written: string[][] = [];
    const add = batched(async (items: string[]) => {
      if (fail) throw new Error("the database is away");
      written.push(items);
    });
    const failed = await Promise.allSettled([add("a"), add("b")]);
    expect(failed.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    await add("c");
    expect(written).toEqual([["c"]]);
  });
});
