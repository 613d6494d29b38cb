import type { Context } from "hono";
import type { WebDeps } from "../../deps.ts";
import type { WebEnv } from "../../env.ts";
import type { ImpactScope } from "../../pages/impact-page.tsx";
import type { Render } from "../../render.ts";
import { impactViews } from "../impact.tsx";
import { handleOf } from "./handle.ts";

/** A community's impact page (`/@{community}/impact`) and its feed of outcomes (`/impact/outcomes.atom`). */
export function communityImpactHandlers(deps: WebDeps, render: Render) {
  const views = impactViews(deps, render);

  /** The community in the address; anyone else (a person, the instance, no one) has no impact page. */
  async function scopeOf(c: Context): Promise<ImpactScope> {
    return { kind: "community", community: await deps.services.actors.require(handleOf(c), "community") };
  }

  return {
    page: async (c: Context<WebEnv>) => views.page(c, await scopeOf(c)),
    feed: async (c: Context) => views.feed(c, await scopeOf(c)),
  };
}
