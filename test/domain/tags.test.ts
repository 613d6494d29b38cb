import { describe, expect, it } from "vitest";
import { normaliseTags } from "../../src/domain/tags.ts";

describe("normaliseTags", () => {
  it("splits a string on commas and spaces and drops '#'", () => {
    expect(normaliseTags("a, #b  c,,")).toEqual(["a", "b", "c"]);
  });

  it("takes a list, keeps the first spelling of duplicates ignoring case", () => {
    expect(normaliseTags(["OpenWork", "#openwork", "Consultation", " "])).toEqual(["OpenWork", "Consultation"]);
  });

  it("accepts letters of any script and digits", () => {
    expect(normaliseTags("café 2026 δημόσιο")).toEqual(["café", "2026", "δημόσιο"]);
  });

  it.each(["a-b", "<script>", "x".repeat(51), ["with space"]])("rejects %j", (input) => {
    expect(() => normaliseTags(input as string | string[])).toThrow(/not a valid tag/);
  });

  it("allows at most 20 tags", () => {
    const twenty = Array.from({ length: 20 }, (_, i) => `t${i}`);
    expect(normaliseTags(twenty)).toHaveLength(20);
    expect(() => normaliseTags([...twenty, "t20"])).toThrow(/at most 20 tags/);
  });
});
