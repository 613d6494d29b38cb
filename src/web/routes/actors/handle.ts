import type { Context } from "hono";

/**
 * The handle in an actor's address (`/@{handle}`, without the "@"). The
 * address's pattern lets through only lower-case letters, digits and "_",
 * so it is safe to put in a redirect.
 */
export const handleOf = (c: Context): string => c.req.param("handle")!.slice(1);
