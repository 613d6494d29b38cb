import { Hono } from "hono";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { CommunitiesPage } from "../pages/communities-page.tsx";
import type { Pages } from "../people.ts";

/** The directory of communities (`/communities`): this instance's, and those elsewhere its people are in or follow. */
export function communityRoutes({ services }: WebDeps, { render, forPeople, cached }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("/", cached);
  app.use("*", forPeople);

  app.get("/", async (c) => {
    const directory = await services.reading.directory();
    return render(c, (ctx) => <CommunitiesPage ctx={ctx} {...directory} />);
  });

  return app;
}
