import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { apiRoutes } from "./api.ts";
import type { WebDeps } from "./deps.ts";
import { onError } from "./errors.ts";
import { federationMiddleware } from "./federation-middleware.ts";
import { forwardedHeaders } from "./forwarded.ts";
import { errorPage } from "./pages/layout.ts";
import { pageRoutes } from "./pages/routes.ts";

/** The whole web side: federation, pages, the API and the stored activities. */
export function createApp(deps: WebDeps) {
  const { config, services, federation, contextData } = deps;
  const app = new Hono();

  app.onError(onError(deps.logError));
  app.notFound((c) =>
    c.req.path.startsWith("/api/")
      ? c.json({ error: "No such endpoint." }, 404)
      : c.html(errorPage(c, 404, "There is nothing at this address."), 404),
  );
  app.use("*", forwardedHeaders(config.trustProxy));
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'self'"], imgSrc: ["'self'", "https:", "data:"], frameAncestors: ["'none'"], objectSrc: ["'none'"] },
      referrerPolicy: "strict-origin-when-cross-origin",
    }),
  );

  app.get("/health", (c) => c.json({ status: "ok" }));

  app.use(
    "*",
    federationMiddleware({ federation, contextData, inboxMaxBytes: config.inboxMaxBytes, inboxMaxDepth: config.inboxMaxDepth }),
  );

  // Every activity we sent, at its id.
  app.get("/activities/:id", async (c) => {
    const json = await services.store.activities.find(c.req.param("id"));
    if (!json) return c.notFound();
    return c.body(JSON.stringify(json), 200, { "content-type": "application/activity+json" });
  });

  app.route("/api/v1", apiRoutes(deps));
  app.route("/", pageRoutes(deps));
  return app;
}
