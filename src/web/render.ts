import type { Context } from "hono";
import type { HtmlEscapedString } from "hono/utils/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Config } from "../config/config.ts";
import type { WebEnv } from "./env.ts";
import { pageContext, type PageContext } from "./pages/context.ts";
import { inTimeZone } from "./pages/time-zone-context.tsx";

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Renders a page for this request: the page gets the request's context (who is signed in, the form token, names). */
export type Render = (c: Context<WebEnv>, page: (ctx: PageContext) => Html, status?: ContentfulStatusCode) => Response | Promise<Response>;

export function createRender(config: Config): Render {
  return (c, page, status = 200) => {
    c.header("cache-control", "no-store");
    const ctx = pageContext(c, config.origin, config.instanceName);
    return c.html(inTimeZone(ctx.timeZone, page(ctx)), status);
  };
}
