import { Hono } from "hono";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import type { Pages } from "../people.ts";
import { postPages } from "./post-page.tsx";

/** The notes people here write in reply to posts (`/notes/{id}`), each on a page like a weeknote's. */
export function noteRoutes(deps: WebDeps, { render, forPeople, cached }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("/:id", cached);
  app.use("*", forPeople);

  app.get("/:id", postPages(deps, render).show("note"));

  return app;
}
