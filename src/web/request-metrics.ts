import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { readAtMost } from "../domain/bounded-read.ts";
import { inboxOutcome, type Metrics } from "../observability/metrics.ts";
import { isInboxPath } from "./inbox-limits.ts";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Activity types counted by name; any other is counted as "other", so a sender cannot add labels at will. */
const ACTIVITY_TYPES = new Set([
  "Accept",
  "Add",
  "Announce",
  "Block",
  "Create",
  "Delete",
  "EmojiReact",
  "Flag",
  "Follow",
  "Like",
  "Move",
  "Reject",
  "Remove",
  "TentativeAccept",
  "Undo",
  "Update",
]);

/**
 * Counts and times every request, labelled by the route pattern that
 * answered it (`/posts/:id`, never the address itself), and counts the
 * activities posted to inboxes by type and outcome: the one place that sees
 * each of them, whatever became of it. Goes early in the chain.
 */
export function requestMetrics(metrics: Metrics, inboxMaxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const inbox = c.req.method === "POST" && isInboxPath(c.req.path);
    // A copy of the body, read after the answer (the federation middleware has read it by then, within the limits).
    const copy = inbox ? c.req.raw.clone() : null;
    await next();
    const status = c.res.status;
    const method = METHODS.has(c.req.method) ? c.req.method : "OTHER";
    metrics.observeRequest({ method, route: routeOf(c, status), status, seconds: (performance.now() - started) / 1000 });
    if (copy) metrics.countInboxActivity(await activityType(copy, status, inboxMaxBytes), inboxOutcome(status));
  };
}

/** The pattern of the route that answered: a page's, an inbox's, or what Fedify answered with no page route. */
function routeOf(c: Context, status: number): string {
  // Middleware is registered for every method; the first route for this method is what answered.
  const handler = matchedRoutes(c).find((route) => route.method !== "ALL");
  if (handler) return handler.path;
  const path = c.req.path;
  if (isInboxPath(path)) return path === "/inbox" ? "/inbox" : "/:handle/inbox";
  return status === 404 ? "unmatched" : "federation";
}

/** The activity's type from the body, when it was within the limits and is JSON; "unknown" otherwise. */
async function activityType(copy: Request, status: number, maxBytes: number): Promise<string> {
  // 400 and 413: the body broke the limits, and is not read again.
  if (status === 400 || status === 413) {
    await copy.body?.cancel().catch(() => {});
    return "unknown";
  }
  try {
    const bytes = await readAtMost(copy.body, maxBytes);
    if (!bytes) return "unknown";
    const type = (JSON.parse(new TextDecoder().decode(bytes)) as { type?: unknown }).type;
    const name = Array.isArray(type) ? type[0] : type;
    if (typeof name !== "string") return "unknown";
    return ACTIVITY_TYPES.has(name) ? name : "other";
  } catch {
    return "unknown";
  }
}
