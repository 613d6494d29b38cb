import { Hono } from "hono";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { PublicDomainBlocksPage } from "../pages/domain-blocks-page.tsx";
import type { Pages } from "../people.ts";

/**
 * What anyone may read about the instance (`/about`): the domains it blocks,
 * and why (and in allow-list mode, those it federates with), and the servers
 * of the accounts it blocks, with why.
 */
export function aboutRoutes({ services }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);

  app.get("/blocked-domains", async (c) => {
    const policy = services.federationPolicy;
    const [blocks, allowed, accounts] = await Promise.all([
      policy.blockedDomains(),
      policy.mode === "allowlist" ? policy.allowedDomains() : [],
      services.accountBlocks.publicList(),
    ]);
    return render(c, (ctx) => (
      <PublicDomainBlocksPage ctx={ctx} blocks={blocks} mode={policy.mode} allowed={allowed} accounts={accounts} />
    ));
  });

  return app;
}
