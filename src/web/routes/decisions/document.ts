import type { Context, Next } from "hono";
import { decisionDocument } from "../../../../federation/vocab/decision-document.ts";
import type { WebDeps } from "../../deps.ts";

/** Servers ask for ActivityPub JSON by name; browsers never do. */
const wantsJsonLd = (accept: string | undefined) => /application\/(activity|ld)\+json/.test(accept ?? "");

/**
 * A decision record for servers: an ActivityPub Article with Connexo's own
 * terms. Fedify's Article has no room for extra terms, so this, not Fedify,
 * answers servers at a record's id; people asking the same URL go on to the
 * page (and each answer says it varies by Accept).
 */
export const recordDocument =
  ({ services, federation, contextData }: WebDeps) =>
  async (c: Context, next: Next) => {
    if (!wantsJsonLd(c.req.header("accept"))) {
      await next();
      c.res.headers.append("vary", "Accept");
      return;
    }
    const decision = await services.decisions.get(c.req.param("id")!);
    if (!decision || decision.post.state !== "published") {
      return c.json({ error: "There is no such decision record." }, 404, { vary: "Accept" });
    }
    const ctx = federation.createContext(c.req.raw, contextData);
    const document = await decisionDocument(ctx, decision);
    return c.body(JSON.stringify(document), 200, { "content-type": "application/activity+json", vary: "Accept" });
  };
