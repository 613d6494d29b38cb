import { describe, expect, it } from "vitest";
import { heapLimitProblem } from "../../src/config/heap-limit.ts";

describe("the heap limit a process runs with", () => {
  it("is no problem when it is the configured one, or when none was given (development, tests)", () => {
    expect(heapLimitProblem(192, ["--max-semi-space-size=8", "--max-old-space-size=192"], undefined)).toBeNull();
    expect(heapLimitProblem(192, [], undefined)).toBeNull();
    expect(heapLimitProblem(192, ["--import", "tsx"], "--max-old-space-size=512")).toBeNull();
  });

  it("says so when CONNEXO_HEAP_MB reached the configuration but not Node (a .env file)", () => {
    const problem = heapLimitProblem(512, ["--max-old-space-size=192"], undefined);
    expect(problem).toContain("CONNEXO_HEAP_MB is 512");
    expect(problem).toContain("limited to 192 MB");
    expect(problem).toContain("not in .env");
  });

  it("says so when NODE_OPTIONS asks for another limit, which npm start's overrides", () => {
    const problem = heapLimitProblem(192, ["--max-old-space-size=192"], "--enable-source-maps --max-old-space-size=1024");
    expect(problem).toContain("NODE_OPTIONS asks for a heap of 1024 MB");
    expect(problem).toContain("set CONNEXO_HEAP_MB instead");
  });

  it("reads the last of several flags, as Node does", () => {
    expect(heapLimitProblem(300, ["--max-old-space-size=192", "--max-old-space-size=300"], undefined)).toBeNull();
  });
});
