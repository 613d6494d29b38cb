import { describe, expect, it } from "vitest";
import { inputAuthorHandle, parseInputAuthor } from "../../src/domain/inputs.ts";

const ORIGIN = "https://council.example";

describe("reading a handle on the input page", () => {
  it("takes an account elsewhere, with or without its first @, in lower case", () => {
    expect(parseInputAuthor("@Zoe@Elsewhere.Example", ORIGIN)).toEqual({ elsewhere: "@zoe@elsewhere.example" });
    expect(parseInputAuthor("  zoe@elsewhere.example ", ORIGIN)).toEqual({ elsewhere: "@zoe@elsewhere.example" });
  });

  it("takes someone here by @name, by name, or by a handle naming this instance's host", () => {
    expect(parseInputAuthor("@Alice", ORIGIN)).toEqual({ here: "alice" });
    expect(parseInputAuthor("alice", ORIGIN)).toEqual({ here: "alice" });
    expect(parseInputAuthor("@alice@COUNCIL.example", ORIGIN)).toEqual({ here: "alice" });
    expect(inputAuthorHandle({ here: "alice" }, ORIGIN)).toBe("@alice@council.example");
  });

  it("refuses what is not a handle", () => {
    for (const raw of ["", "@", "two words", "@a@b@c", "https://elsewhere.example/users/zoe", "@zoe@"]) {
      expect(parseInputAuthor(raw, ORIGIN)).toBeNull();
    }
  });
});
