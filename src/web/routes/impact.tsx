import { Hono, type Context } from "hono";
import { impactFeedPath, impactPath } from "../../domain/urls.ts";
import { ATOM_HEADERS, FEED_SIZE } from "../atom/atom.ts";
import { outcomeFeed } from "../atom/outcome-feed.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { ImpactPage, type ImpactScope } from "../pages/impact-page.tsx";
import type { Pages } from "../people.ts";
import type { Render } from "../render.ts";

const handleOf = (scope: ImpactScope) => (scope.kind === "community" ? scope.community.handle : undefined);

/** The impact page and its feed of outcomes, for every community here or for one: `/impact` and `/@{community}/impact` share them. */
export function impactViews({ services, config, now }: WebDeps, render: Render) {
  const communityId = (scope: ImpactScope) => (scope.kind === "community" ? scope.community.id : null);

  async function page(c: Context<WebEnv>, scope: ImpactScope) {
    const data = await services.impact.page(communityId(scope));
    return render(c, (ctx) => <ImpactPage ctx={ctx} scope={scope} data={data} />);
  }

  async function feed(c: Context, scope: ImpactScope) {
    const [instanceName, outcomes] = await Promise.all([
      services.setup.instanceName(),
      services.impact.latestOutcomes(communityId(scope), FEED_SIZE),
    ]);
    const name = scope.kind === "community" ? `${scope.community.displayName} – ${instanceName}` : instanceName;
    const meta = {
      title: `Outcomes of replies to consultations: ${name}`,
      selfPath: impactFeedPath(handleOf(scope)),
      pagePath: impactPath(handleOf(scope)),
      readAt: new Date(now()),
    };
    return c.body(outcomeFeed(config.origin, meta, outcomes), 200, ATOM_HEADERS);
  }

  return { page, feed };
}

/** `/impact`: what every community's consultations here received and what became of it, with the feed of outcomes. */
export function impactRoutes(deps: WebDeps, { render, forPeople, cached }: Pages) {
  const app = new Hono<WebEnv>();
  const views = impactViews(deps, render);
  const instance: ImpactScope = { kind: "instance" };

  // For feed readers: no session, no cookie.
  app.get("/outcomes.atom", (c) => views.feed(c, instance));

  // For people.
  app.use("/", cached);
  app.use("*", forPeople);
  app.get("/", (c) => views.page(c, instance));

  return app;
}
