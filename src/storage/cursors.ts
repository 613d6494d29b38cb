/**
 * The opaque page cursors of the repositories, the same on every dialect.
 * They arrive in URLs, so anything malformed reads as "from the start"
 * rather than reaching the database as a value of the wrong type.
 */

const isMillis = (n: number) => Number.isSafeInteger(n);

/** Followers page by (created_at, remote actor id), newest first: `<ms>.<id>`. */
export function encodeFollowerCursor(createdAt: number, id: number): string {
  return `${createdAt}.${id}`;
}

export function decodeFollowerCursor(cursor: string | null): [createdAt: number, id: number] | null {
  if (!cursor) return null;
  const [a, b] = cursor.split(".").map(Number);
  return isMillis(a!) && isMillis(b!) ? [a!, b!] : null;
}

/** Posts page by (published_at, id), newest first: `<ms>/<post id>`. */
export function encodePostCursor(publishedAt: Date, id: string): string {
  return `${publishedAt.getTime()}/${id}`;
}

export function decodePostCursor(cursor: string | null): [publishedAt: number, id: string] | null {
  if (!cursor) return null;
  const slash = cursor.indexOf("/");
  if (slash < 0) return null;
  const at = Number(cursor.slice(0, slash));
  return isMillis(at) ? [at, cursor.slice(slash + 1)] : null;
}

/** Followings page by offset. */
export function encodeOffsetCursor(offset: number): string {
  return String(offset);
}

export function decodeOffsetCursor(cursor: string | null): number {
  const offset = Number(cursor ?? 0);
  return Number.isSafeInteger(offset) && offset > 0 ? offset : 0;
}
