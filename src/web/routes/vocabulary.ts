import { Hono } from "hono";
import { connexoContext } from "../../../federation/vocab/connexo-context.ts";
import type { WebDeps } from "../deps.ts";

/** Connexo's JSON-LD context (at CONNEXO_CONTEXT_PATH), defining the terms of decision records. */
export function vocabularyRoutes({ config }: WebDeps) {
  const app = new Hono();

  // The same for every record and rarely changed: servers may keep it a day.
  const context = JSON.stringify(connexoContext(config.origin));
  app.get("/", (c) => c.body(context, 200, { "content-type": "application/ld+json", "cache-control": "public, max-age=86400" }));

  return app;
}
