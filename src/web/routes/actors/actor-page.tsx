import type { Context } from "hono";
import { notFound } from "../../../domain/errors.ts";
import { pageAtOf } from "../../../domain/paging.ts";
import type { WebDeps } from "../../deps.ts";
import type { WebEnv } from "../../env.ts";
import { ActorPage } from "../../pages/actor-page.tsx";
import { ErrorPage } from "../../pages/error-page.tsx";
import { DELETED_NOTICE } from "../done-notices.ts";
import type { Render } from "../../render.ts";
import { handleOf } from "./handle.ts";

/**
 * A person's or a community's page. The same URL is the actor's id: Fedify
 * answers servers first, and what it leaves (HTML) comes here.
 */
export const actorPage =
  ({ services }: WebDeps, render: Render) =>
  async (c: Context<WebEnv>) => {
    const actor = await services.actors.find(handleOf(c));
    if (!actor || actor.kind === "instance") throw notFound("There is no one here by that name.");
    if (actor.deactivatedAt) {
      const message = `${actor.displayName}'s account is no longer active here. What they published stays in their communities.`;
      return render(c, (ctx) => <ErrorPage ctx={ctx} status={410} message={message} />, 410);
    }
    const page = await services.reading.actorPage(actor, c.get("viewer"), pageAtOf(c.req.query("before"), c.req.query("after")));
    // Said only to those who may have just done it.
    const notice =
      page.mayModerate && c.req.query("withdrawn") !== undefined
        ? `The post has been taken out of ${actor.displayName}.`
        : c.get("viewer") && c.req.query("deleted") !== undefined
          ? DELETED_NOTICE
          : undefined;
    return render(c, (ctx) => <ActorPage ctx={ctx} {...page} notice={notice} />);
  };
