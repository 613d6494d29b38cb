/**
 * Times as people read and type them: in the instance's time zone, labelled.
 * Storage and federation keep UTC; only what is shown and entered is local.
 */

/** Where the instance is until an administrator says otherwise. */
export const DEFAULT_TIME_ZONE = "Europe/London";

/** An IANA zone name the runtime knows ("UTC" too, which Intl lists under no region). */
export function isTimeZone(name: string): boolean {
  return name === "UTC" || knownZones().has(name);
}

// The runtime's list of zones does not change while it runs: read once, on first use.
let zones: Set<string> | null = null;
const knownZones = () => (zones ??= new Set(Intl.supportedValuesOf("timeZone")));

// Formatters are costly to build and pages show many times: one per zone and purpose.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: "date" | "time" | "parts", zone: string): Intl.DateTimeFormat {
  const key = `${kind} ${zone}`;
  let format = formatters.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions =
      kind === "date"
        ? { day: "numeric", month: "long", year: "numeric" }
        : kind === "time"
          ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" }
          : { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" };
    format = new Intl.DateTimeFormat("en-GB", { ...options, timeZone: zone });
    formatters.set(key, format);
  }
  return format;
}

/** "5 December 2026": the day in the zone. */
export function formatDay(date: Date, zone: string): string {
  const key = `${zone} ${date.getTime()}`;
  let day = days.get(key);
  if (day === undefined) {
    day = formatter("date", zone).format(date);
    if (days.size >= DAYS_KEPT) days.clear();
    days.set(key, day);
  }
  return day;
}

// Formatting is costly too, and a thread's page shows the same moments on every request: the days of the latest few thousand are kept.
const DAYS_KEPT = 10_000;
const days = new Map<string, string>();

/**
 * "17:00 GMT", "18:00 BST", "12:00 GMT-4 (America/New_York)": the hour with
 * the zone's short name, and the zone itself where that name is only an offset.
 */
export function formatClock(date: Date, zone: string): string {
  const parts = formatter("time", zone).formatToParts(date);
  const hour = parts.find((p) => p.type === "hour")?.value ?? "";
  const minute = parts.find((p) => p.type === "minute")?.value ?? "";
  const name = parts.find((p) => p.type === "timeZoneName")?.value ?? zone;
  const label = /^GMT[+-]/.test(name) ? `${name} (${zone})` : name;
  return `${hour}:${minute} ${label}`;
}

/** "5 December 2026 at 17:00 GMT": a moment, with the zone it is told in. */
export function formatMoment(date: Date, zone: string): string {
  return `${formatDay(date, zone)} at ${formatClock(date, zone)}`;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
}

/** The wall-clock reading of a moment in the zone. */
function wallTime(date: Date, zone: string): WallTime & { second: number } {
  const parts = Object.fromEntries(
    formatter("parts", zone)
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    // Some runtimes say 24 for midnight even with h23.
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** How far the zone is ahead of UTC at this moment, in milliseconds. */
function offsetAt(ms: number, zone: string): number {
  const w = wallTime(new Date(ms), zone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The moment a wall-clock time in the zone names. A time the clocks skip in
 * spring is read with the offset before the change (so 01:30 becomes 02:30);
 * one they pass twice in autumn is the first of the two.
 */
function fromWallTime(w: WallTime, zone: string): Date {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second ?? 0);
  const before = offsetAt(asUtc - 86_400_000, zone);
  const after = offsetAt(asUtc + 86_400_000, zone);
  // Try the earlier offset first: when both fit (autumn), that is the first of the two moments.
  for (const offset of before >= after ? [before, after] : [after, before]) {
    const candidate = asUtc - offset;
    if (offsetAt(candidate, zone) === offset) return new Date(candidate);
  }
  return new Date(asUtc - before);
}

/** A real day of the calendar, or null (31 February, year 0…99). */
function realDay(year: number, month: number, day: number): { year: number; month: number; day: number } | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  const same = year >= 1000 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return same ? { year, month, day } : null;
}

/**
 * A day typed day first ("5/12/2026", "05-12-2026", "5.12.2026"), or as ISO
 * ("2026-12-05", which date pickers and older links send). Null if it is not one.
 */
export function parseDay(text: string): { year: number; month: number; day: number } | null {
  const trimmed = text.trim();
  const dayFirst = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(trimmed);
  if (dayFirst) return realDay(Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1]));
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  return iso ? realDay(Number(iso[1]), Number(iso[2]), Number(iso[3])) : null;
}

/** The moment a day begins in the zone; `plusDays` moves to a later day (a whole day, however long the clocks make it). */
export function startOfDay(day: { year: number; month: number; day: number }, zone: string, plusDays = 0): Date {
  const next = new Date(Date.UTC(day.year, day.month - 1, day.day + plusDays));
  return fromWallTime({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0 }, zone);
}

/**
 * A date and time typed in the zone, day first ("5/12/2026 17:00") or as a
 * datetime-local value ("2026-12-05T17:00", seconds optional). Null if it
 * is not one.
 */
export function parseMoment(text: string, zone: string): Date | null {
  const trimmed = text.trim();
  const iso = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(trimmed);
  const dayFirst = /^(\S+)(?:\s+|\s*,\s*|\s+at\s+)(\d{1,2})[:.](\d{2})$/.exec(trimmed);
  const match = iso ?? dayFirst;
  if (!match) return null;
  const day = parseDay(match[1]!);
  const hour = Number(match[2]);
  const minute = Number(match[3]);
  const second = Number(match[4] ?? 0);
  if (!day || hour > 23 || minute > 59 || second > 59) return null;
  return fromWallTime({ ...day, hour, minute, second }, zone);
}

const two = (n: number) => String(n).padStart(2, "0");

/** "05/12/2026": a day as the day-first fields show it. */
export function dayFieldValue(day: { year: number; month: number; day: number }): string {
  return `${two(day.day)}/${two(day.month)}/${day.year}`;
}

/** "05/12/2026 17:00": a moment as a day-first field shows it, in the zone. */
export function momentFieldValue(date: Date, zone: string): string {
  const w = wallTime(date, zone);
  return `${dayFieldValue(w)} ${two(w.hour)}:${two(w.minute)}`;
}
