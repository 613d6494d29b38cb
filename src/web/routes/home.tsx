import { Hono } from "hono";
import { pageAtOf } from "../../domain/paging.ts";
import type { Actor } from "../../domain/types.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { HomePage } from "../pages/home-page.tsx";
import type { Pages } from "../people.ts";

/** The front page (`/`): the latest weeknotes and decision records, and the communities. */
export function homeRoutes({ services }: WebDeps, { render, forPeople, cached }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("/", cached);
  app.use("/", forPeople);

  /** How many communities elsewhere have invited the signed-in person and wait for an answer: one query, none for readers. */
  async function openInvitations(viewer: Actor | null): Promise<number> {
    if (!viewer) return 0;
    return (await services.membershipsElsewhere.of(viewer)).filter((m) => m.state === "invited").length;
  }

  app.get("/", async (c) => {
    const [{ posts, pages, decisions, names, communities, needsSetup }, invitations] = await Promise.all([
      services.reading.frontPage(pageAtOf(c.req.query("before"), c.req.query("after"))),
      openInvitations(c.get("viewer")),
    ]);
    return render(c, (ctx) => (
      <HomePage
        ctx={ctx}
        recent={posts}
        pages={pages}
        decisions={decisions}
        names={names}
        communities={communities}
        needsSetup={needsSetup}
        invitations={invitations}
      />
    ));
  });

  return app;
}
