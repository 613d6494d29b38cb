import type { Context } from "hono";
import { notFound } from "../../../domain/errors.ts";
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
    const community = await deps.services.actors.find(handleOf(c));
    if (!community || community.kind !== "community") throw notFound("There is no community by that name here.");
    return { kind: "community", community };
  }

  return {
    page: async (c: Context<WebEnv>) => views.page(c, await scopeOf(c)),
    feed: async (c: Context) => views.feed(c, await scopeOf(c)),
  };
}
