// Reads kept until the next commit, as the register's counts and a post's page keep them.
import { describe, expect, it } from "vitest";
import { UntilCommit } from "../../src/storage/until-commit.ts";

function reader() {
  let reads = 0;
  return {
    read: (value: string) => async () => {
      reads++;
      return value;
    },
    reads: () => reads,
  };
}

describe("reads kept until the next commit", () => {
  it("keeps what was read while the commit version stays, and reads again once it changes", async () => {
    let version = 1;
    const kept = new UntilCommit<string>(() => version);
    const { read, reads } = reader();
    expect(await kept.get("a", read("first"))).toBe("first");
    expect(await kept.get("a", read("second"))).toBe("first");
    expect(reads()).toBe(1);
    version = 2;
    expect(await kept.get("a", read("third"))).toBe("third");
    expect(await kept.get("b", read("other key"))).toBe("other key");
    expect(reads()).toBe(3);
  });

  it("reads again after a read during which something was committed", async () => {
    let version = 1;
    const kept = new UntilCommit<string>(() => version);
    let reads = 0;
    const readWhileCommitting = async () => {
      reads++;
      version++; // committed while this read was under way: it may have seen the data before or after
      return `read ${reads}`;
    };
    expect(await kept.get("a", readWhileCommitting)).toBe("read 1");
    expect(await kept.get("a", async () => "read again")).toBe("read again");
  });

  it("keeps neither a failed read nor a value not worth keeping", async () => {
    const kept = new UntilCommit<string>(() => 1);
    await expect(kept.get("a", async () => Promise.reject(new Error("gone")))).rejects.toThrow("gone");
    expect(await kept.get("a", async () => "read")).toBe("read");
    expect(
      await kept.get(
        "big",
        async () => "too big",
        () => false,
      ),
    ).toBe("too big");
    expect(await kept.get("big", async () => "read again")).toBe("read again");
  });

  it("keeps nothing without a commit version", async () => {
    const kept = new UntilCommit<string>(undefined);
    const { read, reads } = reader();
    await kept.get("a", read("first"));
    expect(await kept.get("a", read("second"))).toBe("second");
    expect(reads()).toBe(2);
  });

  it("lets the least recently used go first once it keeps its limit", async () => {
    const kept = new UntilCommit<string>(() => 1, 2);
    const { read, reads } = reader();
    await kept.get("a", read("a"));
    await kept.get("b", read("b"));
    await kept.get("a", read("a again")); // a is now the most recently used
    await kept.get("c", read("c")); // b goes
    expect(reads()).toBe(3);
    expect(await kept.get("a", read("a read"))).toBe("a");
    expect(await kept.get("b", read("b read"))).toBe("b read");
    expect(reads()).toBe(4);
  });
});
