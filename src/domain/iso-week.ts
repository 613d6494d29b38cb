import { invalid } from "./errors.ts";

const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

/** The ISO 8601 week of a date, as "2026-W48". */
export function isoWeekOf(date: Date): string {
  // The ISO week belongs to the year of its Thursday.
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

function weeksInYear(year: number): number {
  // A year has 53 ISO weeks when 28 December falls in week 53.
  return isoWeekOf(new Date(Date.UTC(year, 11, 28))).endsWith("W53") ? 53 : 52;
}

/** Validates "YYYY-Www" and returns it. */
export function parseIsoWeek(raw: string): string {
  const match = ISO_WEEK.exec(raw.trim());
  const year = Number(match?.[1]);
  const week = Number(match?.[2]);
  if (!match || week < 1 || week > weeksInYear(year)) {
    throw invalid("Week must be an ISO week such as 2026-W48.", { week: "use the form 2026-W48" });
  }
  return `${match[1]}-W${match[2]}`;
}
