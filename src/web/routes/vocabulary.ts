import { Hono } from "hono";
import { connexoContext } from "../../../federation/vocab/connexo-context.ts";
import type { WebDeps } from "../deps.ts";

/**
 * Connexo's JSON-LD context (at CONNEXO_CONTEXT_PATH), defining its terms in
 * the stable namespace. Documents inline the same terms, so nobody needs to
 * fetch this to read them; it is here for people and tools that look it up.
 */
export function vocabularyRoutes(_deps: WebDeps) {
  const app = new Hono();

  // The same everywhere and rarely changed: it may be kept a day.
  const context = JSON.stringify(connexoContext());
  app.get("/", (c) => c.body(context, 200, { "content-type": "application/ld+json", "cache-control": "public, max-age=86400" }));

  return app;
}
