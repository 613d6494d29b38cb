/**
 * Lists that page both ways, newest first. A page starts at the first item,
 * just before a position (older), or just after one (newer); a position is an
 * item's (time, id), so items that share a time are neither skipped nor
 * shown twice.
 */
export type PageAt = { before: string } | { after: string } | null;

/** One page of a list, with the positions that lead to the pages beside it (null at either end). */
export interface ListPage<T> {
  items: T[];
  older: string | null;
  newer: string | null;
}

/** Where the pages beside one start, without its items. */
export type Neighbours = Omit<ListPage<never>, "items">;

/** Where a page starts, read from a request's `before` and `after` parameters (the first page when neither is given). */
export function pageAtOf(before: string | undefined, after: string | undefined): PageAt {
  if (before) return { before };
  if (after) return { after };
  return null;
}

/** The query (with its `?`) that asks for the page at `at`; "" for the first. */
export function pageAtQuery(at: PageAt): string {
  if (at === null) return "";
  return "before" in at ? `?before=${encodeURIComponent(at.before)}` : `?after=${encodeURIComponent(at.after)}`;
}

/** The position of an item, opaque to everyone but storage: its time in epoch milliseconds and its id. */
export function encodePosition(time: number, id: string | number): string {
  return `${time}:${id}`;
}

/** A position read back; anything malformed (it arrives in URLs) reads as null, the first page. */
export function decodePosition(position: string): [time: number, id: string] | null {
  const colon = position.indexOf(":");
  if (colon < 1) return null;
  const time = Number(position.slice(0, colon));
  const id = position.slice(colon + 1);
  return Number.isSafeInteger(time) && id !== "" ? [time, id] : null;
}
