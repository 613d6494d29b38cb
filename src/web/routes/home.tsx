import { Hono } from "hono";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { HomePage } from "../pages/home-page.tsx";
import type { Pages } from "../people.ts";

/** The front page (`/`): the latest weeknotes and decision records, and the communities. */
export function homeRoutes({ services }: WebDeps, { render, forPeople, cached }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("/", cached);
  app.use("/", forPeople);

  app.get("/", async (c) => {
    const { posts, decisions, names, communities, needsSetup } = await services.reading.frontPage();
    return render(c, (ctx) => (
      <HomePage ctx={ctx} recent={posts} decisions={decisions} names={names} communities={communities} needsSetup={needsSetup} />
    ));
  });

  return app;
}
