import type { MiddlewareHandler } from "hono";
import { every } from "hono/combine";
import type { WebEnv } from "./env.ts";
import type { Render } from "./render.ts";

/**
 * What each resource's pages are built with. A resource serves servers and
 * feed readers first (no session, no cookie), then puts `forPeople` before
 * its pages, and `cached` before those of them anyone may read.
 */
export interface Pages {
  render: Render;
  /**
   * Who is signed in and the form token, then the body's limit, then the
   * anti-forgery check of every form posted, in that order. It runs once for
   * a request, however many resources' middleware it passes through (the app
   * puts it last too, for addresses no resource answers: their 404 page).
   */
  forPeople: MiddlewareHandler<WebEnv>;
  /** Signed-out readers of public pages may get a rendered page a few seconds old (page-cache.ts); before `forPeople`. */
  cached: MiddlewareHandler<WebEnv>;
}

/** The middleware for people, run in order and once a request: each later one relies on what the earlier ones set. */
export function forPeopleOnce(...middleware: MiddlewareHandler<WebEnv>[]): MiddlewareHandler<WebEnv> {
  const all = every(...(middleware as MiddlewareHandler[]));
  // The session middleware always sets the form token: once it is there, all of them have run.
  return (c, next) => (c.get("csrfToken") === undefined ? all(c, next) : next());
}
