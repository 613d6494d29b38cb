import { Hono } from "hono";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import type { Pages } from "../people.ts";
import { outcomeDocumentHandler } from "./outcome-document.ts";
import { postPages } from "./post-page.tsx";

/**
 * The notes people here write in reply to posts (`/notes/{id}`), each on a
 * page like a weeknote's; a community's note answering a reply to a
 * consultation links the document stating the outcome (`/notes/{id}/outcome`).
 */
export function noteRoutes(deps: WebDeps, { render, forPeople, cached }: Pages) {
  const app = new Hono<WebEnv>();
  // For servers: no session, no cookie.
  app.get("/:id/outcome", outcomeDocumentHandler(deps));
  app.use("/:id", cached);
  app.use("*", forPeople);

  app.get("/:id", postPages(deps, render).show("note"));

  return app;
}
