import { and, asc, desc, eq, gt, lt, or, type AnyColumn, type SQL } from "drizzle-orm";
import { decodePosition, encodePosition, type ListPage, type PageAt } from "../../domain/paging.ts";

/**
 * Reading a list a page at a time by (time, id), newest first, in either
 * direction: older pages read down from a position, newer ones read up from it
 * (and are turned round), so equal times are ordered by id and every item is
 * on exactly one page. Each page is one query of `limit + 1` rows, the extra
 * row telling whether there is more beyond.
 */
export interface Keyset {
  /** The condition that keeps the rows beyond the position, if any. */
  where: SQL | undefined;
  orderBy: SQL[];
  /**
   * Rows read by several queries (each in this order, each at most `limit + 1`)
   * as one list in this order, without repeats, of at most `limit + 1`: one
   * indexed query per condition instead of one that ORs them and sorts everything.
   */
  merge<R>(lists: R[][], positionOf: (row: R) => [time: number, id: string | number]): R[];
  /** The rows read, at most `limit + 1`, as the page they make. */
  page<R, T>(rows: R[], positionOf: (row: R) => [time: number, id: string | number], toItem: (row: R) => T): ListPage<T>;
}

/** `numericId`: the id column holds integers, so the position's id is compared as one. */
export function keyset(time: AnyColumn, id: AnyColumn, at: PageAt, limit: number, numericId = false): Keyset {
  const raw = at ? decodePosition("before" in at ? at.before : at.after) : null;
  const position = raw && (!numericId || Number.isSafeInteger(Number(raw[1]))) ? raw : null;
  const newer = position !== null && at !== null && "after" in at;
  const idValue = position ? (numericId ? Number(position[1]) : position[1]) : null;
  const where =
    position === null
      ? undefined
      : newer
        ? or(gt(time, position[0]), and(eq(time, position[0]), gt(id, idValue)))
        : or(lt(time, position[0]), and(eq(time, position[0]), lt(id, idValue)));
  return {
    where,
    orderBy: newer ? [asc(time), asc(id)] : [desc(time), desc(id)],
    merge(lists, positionOf) {
      const seen = new Set<string | number>();
      const rows = lists.flat().filter((row) => {
        const key = positionOf(row)[1];
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      const direction = newer ? 1 : -1;
      rows.sort((a, b) => {
        const [ta, ia] = positionOf(a);
        const [tb, ib] = positionOf(b);
        return direction * (ta !== tb ? ta - tb : ia < ib ? -1 : ia > ib ? 1 : 0);
      });
      return rows.slice(0, limit + 1);
    },
    page(rows, positionOf, toItem) {
      const more = rows.length > limit;
      const kept = rows.slice(0, limit);
      if (newer) kept.reverse();
      const cursor = (row: (typeof kept)[number] | undefined) => (row ? encodePosition(...positionOf(row)) : null);
      const first = cursor(kept[0]);
      const last = cursor(kept.at(-1));
      return {
        items: kept.map(toItem),
        // Reading up, what is beyond is newer; the position itself, older, is always there.
        older: newer ? last : more ? last : null,
        newer: newer ? (more ? first : null) : position ? first : null,
      };
    },
  };
}
