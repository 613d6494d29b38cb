import { Hono } from "hono";
import type { WebDeps } from "../deps.ts";

/** Decision records as ActivityPub Articles with Connexo's own terms, and the JSON-LD context that defines them. */
export function decisionDocumentRoutes(_deps: WebDeps) {
  const app = new Hono();
  return app;
}
