import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";

export interface PageCacheOptions {
  /** How long a rendered page is served again; 0 turns the cache off. */
  ttlMs: number;
  maxEntries?: number;
  /** The session cookie: anyone who has one gets pages made for them. */
  sessionCookie: string;
  /** The time in epoch milliseconds. */
  now?: () => number;
}

interface Entry {
  /** The page as UTF-8 bytes: written to each reader as they are, not encoded (and measured) again every time. */
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  expires: number;
}

/**
 * A short-lived cache of the public pages as signed-out visitors see them
 * (no forms, nothing personal), so a weeknote that is being widely read is
 * rendered a few times a minute rather than for every reader. Readers see
 * changes at most `ttlMs` late; signed-in people always get fresh pages.
 */
export function anonymousPageCache({ ttlMs, maxEntries = 1000, sessionCookie, now = Date.now }: PageCacheOptions): MiddlewareHandler {
  const entries = new Map<string, Entry>();
  return async (c, next) => {
    if (ttlMs <= 0 || c.req.method !== "GET" || getCookie(c, sessionCookie) !== undefined) return next();
    const key = c.req.url;
    const hit = entries.get(key);
    if (hit && hit.expires > now()) {
      return c.body(hit.body, 200, { "content-type": hit.contentType, "cache-control": "no-store" });
    }
    await next();
    const contentType = c.res.headers.get("content-type") ?? "";
    if (c.res.status !== 200 || !contentType.startsWith("text/html")) return;
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    entries.delete(key);
    entries.set(key, { body: new Uint8Array(await c.res.clone().arrayBuffer()), contentType, expires: now() + ttlMs });
  };
}
