import { Hono } from "hono";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { DraftsPage } from "../pages/drafts-page.tsx";
import type { Pages } from "../people.ts";
import { draftsNotice } from "./done-notices.ts";
import { askedFor, signInFirst } from "./sign-in-first.ts";

/** A person's drafts (`/drafts`), each to edit, publish or delete. */
export function draftRoutes({ services }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);
  app.use("/", signInFirst(askedFor("/drafts")));

  app.get("/", async (c) => {
    const { posts, names } = await services.reading.drafts(c.get("viewer")!);
    const notice = draftsNotice(c.req.query("done"));
    return render(c, (ctx) => <DraftsPage ctx={ctx} drafts={posts} names={names} notice={notice} />);
  });

  return app;
}
