import { Hono } from "hono";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { PublicDomainBlocksPage } from "../pages/domain-blocks-page.tsx";
import type { Pages } from "../people.ts";

/** What anyone may read about the instance (`/about`): the domains it blocks, and why. */
export function aboutRoutes({ services }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);

  app.get("/blocked-domains", async (c) => {
    const blocks = await services.federationPolicy.blockedDomains();
    return render(c, (ctx) => <PublicDomainBlocksPage ctx={ctx} blocks={blocks} />);
  });

  return app;
}
