import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/errors.ts";
import { normaliseHandle, validateNewHandle } from "../../src/domain/handle.ts";

describe("handles", () => {
  it("normalises a leading @, case and space", () => {
    expect(normaliseHandle("  @Alice ")).toBe("alice");
    expect(validateNewHandle("@Team_2")).toBe("team_2");
  });

  it.each(["", "a-b", "a.b", "é", "x".repeat(31), "two words"])("rejects %j", (raw) => {
    expect(() => validateNewHandle(raw)).toThrow(/Handle must be 1 to 30/);
  });

  it("accepts 30 characters", () => {
    expect(validateNewHandle("x".repeat(30))).toBe("x".repeat(30));
  });

  it.each(["instance", "admin", "API", "@inbox", "nodeinfo"])("refuses the reserved handle %j", (raw) => {
    let error: unknown;
    try {
      validateNewHandle(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).message).toMatch(/is reserved/);
    expect((error as DomainError).fields).toEqual({ handle: "this handle is reserved" });
  });
});
