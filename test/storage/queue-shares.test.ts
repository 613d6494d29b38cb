import { describe, expect, it } from "vitest";
import { withinShares } from "../../src/storage/queue-table.ts";

describe("choosing which due messages a claim takes", () => {
  const due = [
    { id: 1, origin: "https://busy.example" },
    { id: 2, origin: "https://busy.example" },
    { id: 3, origin: null },
    { id: 4, origin: "https://busy.example" },
    { id: 5, origin: "https://quiet.example" },
    { id: 6, origin: null },
  ];

  it("takes them in order, up to the limit", () => {
    expect(withinShares(due, 3, { perOrigin: 8, running: {} })).toEqual([1, 2, 3]);
  });

  it("takes no more of one origin than its share leaves room for, counting those running", () => {
    expect(withinShares(due, 10, { perOrigin: 2, running: { "https://busy.example": 1 } })).toEqual([1, 3, 5, 6]);
    expect(withinShares(due, 10, { perOrigin: 2, running: { "https://busy.example": 2, "https://quiet.example": 2 } })).toEqual([3, 6]);
  });

  it("never holds back messages that concern no origin", () => {
    expect(withinShares(due, 2, { perOrigin: 1, running: { "https://busy.example": 5, "https://quiet.example": 5 } })).toEqual([3, 6]);
  });
});
