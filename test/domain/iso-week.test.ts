import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/errors.ts";
import { isoWeekOf, parseIsoWeek } from "../../src/domain/iso-week.ts";

const utc = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe("isoWeekOf", () => {
  it.each([
    ["2026-11-26", "2026-W48"],
    ["2026-12-31", "2026-W53"], // a Thursday: 2026 has 53 weeks
    ["2027-01-01", "2026-W53"], // the Friday after still belongs to 2026's last week
    ["2027-01-03", "2026-W53"], // and the Sunday
    ["2027-01-04", "2027-W01"], // the Monday starts 2027-W01
    ["2024-12-30", "2025-W01"], // a Monday in December can open the next year's week 1
    ["2021-01-03", "2020-W53"],
    ["2025-12-28", "2025-W52"],
  ])("puts %s in %s", (date, week) => {
    expect(isoWeekOf(utc(date))).toBe(week);
  });
});

describe("parseIsoWeek", () => {
  it("accepts valid weeks, trimming space", () => {
    expect(parseIsoWeek("2026-W48")).toBe("2026-W48");
    expect(parseIsoWeek(" 2026-W01 ")).toBe("2026-W01");
    expect(parseIsoWeek("2026-W53")).toBe("2026-W53");
  });

  it.each(["2025-W53", "2026-W54", "2026-W00", "2026-W5", "2026W48", "week 48", "", "2026-w48"])("rejects %j", (raw) => {
    expect(() => parseIsoWeek(raw)).toThrow(DomainError);
    try {
      parseIsoWeek(raw);
    } catch (error) {
      expect((error as DomainError).code).toBe("invalid");
      expect((error as DomainError).fields.week).toBeDefined();
    }
  });
});
