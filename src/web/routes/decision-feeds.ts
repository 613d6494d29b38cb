import { Hono } from "hono";
import type { WebDeps } from "../deps.ts";

/** Atom feeds of decision records: new records and every change of status. */
export function decisionFeedRoutes(_deps: WebDeps) {
  const app = new Hono();
  return app;
}
