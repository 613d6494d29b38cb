import { describe, expect, it } from "vitest";
import {
  dayFieldValue,
  formatMoment,
  isTimeZone,
  momentFieldValue,
  parseDay,
  parseMoment,
  startOfDay,
} from "../../src/domain/time-zone.ts";

const LONDON = "Europe/London";

describe("times in the instance's zone", () => {
  it("knows the zones the runtime knows, and UTC", () => {
    expect(isTimeZone(LONDON)).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Middle/Earth")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });

  it("shows a moment with its zone's name, and the zone where the name is only an offset", () => {
    expect(formatMoment(new Date("2026-12-05T17:00:00Z"), LONDON)).toBe("5 December 2026 at 17:00 GMT");
    expect(formatMoment(new Date("2026-07-05T17:00:00Z"), LONDON)).toBe("5 July 2026 at 18:00 BST");
    expect(formatMoment(new Date("2026-12-05T17:00:00Z"), "UTC")).toBe("5 December 2026 at 17:00 UTC");
    expect(formatMoment(new Date("2026-12-05T17:00:00Z"), "America/New_York")).toBe("5 December 2026 at 12:00 GMT-5 (America/New_York)");
    // Past midnight in London in summer is still the day before in UTC.
    expect(formatMoment(new Date("2026-07-05T23:30:00Z"), LONDON)).toBe("6 July 2026 at 00:30 BST");
  });

  it("reads days day first, or as ISO, and nothing that is not a day", () => {
    for (const text of ["5/12/2026", "05-12-2026", "5.12.2026", " 05/12/2026 ", "2026-12-05"]) {
      expect(parseDay(text), text).toEqual({ year: 2026, month: 12, day: 5 });
    }
    for (const text of ["31/02/2026", "12/31/2026", "5/12/26", "yesterday", "2026-12-5", ""]) expect(parseDay(text), text).toBeNull();
    expect(dayFieldValue({ year: 2026, month: 3, day: 1 })).toBe("01/03/2026");
  });

  it("reads a typed time in the zone", () => {
    expect(parseMoment("5/12/2026 17:00", LONDON)?.toISOString()).toBe("2026-12-05T17:00:00.000Z");
    expect(parseMoment("5/7/2026 17:00", LONDON)?.toISOString()).toBe("2026-07-05T16:00:00.000Z");
    expect(parseMoment("2026-07-05T17:00:30", LONDON)?.toISOString()).toBe("2026-07-05T16:00:30.000Z");
    expect(parseMoment("5/7/2026 at 9.30", LONDON)?.toISOString()).toBe("2026-07-05T08:30:00.000Z");
    for (const text of ["5/7/2026", "5/7/2026 24:00", "5/7/2026 17:60", "31/2/2026 10:00", "soon"]) {
      expect(parseMoment(text, LONDON), text).toBeNull();
    }
    expect(momentFieldValue(new Date("2026-07-05T16:00:00Z"), LONDON)).toBe("05/07/2026 17:00");
  });

  it("reads a time the clocks skip as the hour after, and one they pass twice as the first", () => {
    // 29 March 2026: 01:00 GMT becomes 02:00 BST.
    expect(parseMoment("29/03/2026 01:30", LONDON)?.toISOString()).toBe("2026-03-29T01:30:00.000Z");
    // 25 October 2026: 02:00 BST becomes 01:00 GMT, so 01:30 happens twice.
    expect(parseMoment("25/10/2026 01:30", LONDON)?.toISOString()).toBe("2026-10-25T00:30:00.000Z");
  });

  it("begins days at midnight in the zone, however long the day", () => {
    const spring = { year: 2026, month: 3, day: 29 };
    expect(startOfDay(spring, LONDON).toISOString()).toBe("2026-03-29T00:00:00.000Z");
    expect(startOfDay(spring, LONDON, 1).toISOString()).toBe("2026-03-29T23:00:00.000Z");
    expect(startOfDay({ year: 2026, month: 12, day: 31 }, LONDON, 1).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});
