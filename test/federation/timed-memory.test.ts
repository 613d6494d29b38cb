import { describe, expect, it } from "vitest";
import { TimedMemory } from "../../federation/http/timed-memory.ts";
import { ManualClock } from "../helpers/clock.ts";

describe("TimedMemory", () => {
  it("forgets an entry once its time has passed, and noting it again starts its time afresh", () => {
    const clock = new ManualClock();
    const memory = new TimedMemory<boolean>(60_000, 10, clock.now);
    memory.set("a.example", true);
    clock.advance(59_999);
    expect(memory.get("a.example")).toBe(true);
    memory.set("a.example", false);
    clock.advance(59_999);
    expect(memory.get("a.example")).toBe(false);
    clock.advance(1);
    expect(memory.get("a.example")).toBeUndefined();
  });

  it("holds at most its bound, the oldest noted making room first", () => {
    const clock = new ManualClock();
    const memory = new TimedMemory<number>(60_000, 2, clock.now);
    memory.set("a", 1);
    memory.set("b", 2);
    memory.set("a", 3);
    memory.set("c", 4);
    expect([memory.get("a"), memory.get("b"), memory.get("c")]).toEqual([3, undefined, 4]);
  });
});
