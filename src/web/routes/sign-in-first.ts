import type { Context, MiddlewareHandler } from "hono";
import type { WebEnv } from "../env.ts";

/** The sign-in page, coming back to `back` afterwards (slashes and @ stay readable; what could end the parameter is escaped). */
export const signInPath = (back: string) => `/sign-in?next=${encodeURIComponent(back).replace(/%2F/g, "/").replace(/%40/g, "@")}`;

/** Sends anyone signed out to sign in first, and then back to `backTo(c)`. */
export function signInFirst(backTo: (c: Context<WebEnv>) => string): MiddlewareHandler<WebEnv> {
  return async (c, next) => (c.get("viewer") ? next() : c.redirect(signInPath(backTo(c)), 303));
}

/** Back to the page that was asked for; after a posted form, to `formPage`, where it can be filled in again. */
export const askedFor =
  (formPage: string) =>
  (c: Context<WebEnv>): string => {
    if (c.req.method !== "GET") return formPage;
    const { pathname, search } = new URL(c.req.url);
    return pathname + search;
  };
