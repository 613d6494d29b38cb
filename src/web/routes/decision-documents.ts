import { Hono } from "hono";
import { connexoContext, CONNEXO_CONTEXT_PATH } from "../../../federation/vocab/connexo-context.ts";
import { decisionDocument } from "../../../federation/vocab/decision-document.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";

/** Servers ask for ActivityPub JSON by name; browsers never do. */
const wantsJsonLd = (accept: string | undefined) => /application\/(activity|ld)\+json/.test(accept ?? "");

/**
 * Decision records as ActivityPub Articles with Connexo's own terms, and the
 * JSON-LD context that defines them. Fedify's Article has no room for extra
 * terms, so this route, not Fedify, answers servers at a record's id; people
 * asking the same URL get the page.
 */
export function decisionDocumentRoutes({ config, services, federation, contextData }: WebDeps) {
  const app = new Hono<WebEnv>();

  // The same for every record and rarely changed: servers may keep it a day.
  const context = JSON.stringify(connexoContext(config.origin));
  app.get(CONNEXO_CONTEXT_PATH, (c) =>
    c.body(context, 200, { "content-type": "application/ld+json", "cache-control": "public, max-age=86400" }),
  );

  app.get("/decisions/:id{[0-9a-f-]{36}}", async (c, next) => {
    if (!wantsJsonLd(c.req.header("accept"))) {
      await next();
      c.res.headers.append("vary", "Accept");
      return;
    }
    const decision = await services.decisions.get(c.req.param("id"));
    if (!decision || decision.post.state !== "published") {
      return c.json({ error: "There is no such decision record." }, 404, { vary: "Accept" });
    }
    const ctx = federation.createContext(c.req.raw, contextData);
    const document = await decisionDocument(ctx, decision);
    return c.body(JSON.stringify(document), 200, { "content-type": "application/activity+json", vary: "Accept" });
  });

  return app;
}
