import type { Context } from "hono";
import type { WebDeps } from "../../deps.ts";
import type { WebEnv } from "../../env.ts";
import { ReferredPage } from "../../pages/referred-page.tsx";
import type { Render } from "../../render.ts";
import { handleOf } from "./handle.ts";

/** A community's input referred to it (`/@{community}/referred`); not found for anyone else's handle. Public. */
export const referredPage =
  ({ services }: WebDeps, render: Render) =>
  async (c: Context<WebEnv>) => {
    const page = await services.inputs.referredTo(handleOf(c));
    return render(c, (ctx) => <ReferredPage ctx={ctx} {...page} />);
  };
