import type { MiddlewareHandler } from "hono";
import type { WebEnv } from "./env.ts";
import { ErrorPage } from "./pages/error-page.tsx";
import type { Render } from "./render.ts";
import { csrfMatches } from "./session.ts";

/**
 * Every form posts back the page's anti-forgery token, and (where browsers
 * send one) an Origin that is ours. A forged or stale post changes nothing.
 */
export function verifyCsrf(origin: string, render: Render): MiddlewareHandler<WebEnv> {
  const ours = new URL(origin).origin;
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const sentOrigin = c.req.header("origin");
    const body = await c.req.parseBody({ all: true });
    if ((sentOrigin && sentOrigin !== ours) || !csrfMatches(c.get("csrfToken"), body._csrf)) {
      const message =
        "This form had expired, or was sent from another site, so nothing was changed. Go back, reload the page and try again.";
      return render(c, (ctx) => <ErrorPage ctx={ctx} status={403} message={message} />, 403);
    }
    await next();
  };
}
