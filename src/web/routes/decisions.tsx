import { Hono } from "hono";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import type { Render } from "../render.ts";

/** The decision registers (instance and community) and the decision page, with its reply form. */
export function decisionRoutes(_deps: WebDeps, _render: Render) {
  const app = new Hono<WebEnv>();
  return app;
}
