import { Hono } from "hono";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import type { Render } from "../render.ts";

/** Proposing, editing and amending decision records, and moving them between states. */
export function decisionFormRoutes(_deps: WebDeps, _render: Render) {
  const app = new Hono<WebEnv>();
  return app;
}
