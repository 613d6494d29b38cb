import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { apiRoutes } from "./api.ts";
import { bodyLimits } from "./body-limits.ts";
import { verifyCsrf } from "./csrf.tsx";
import type { WebDeps } from "./deps.ts";
import type { WebEnv } from "./env.ts";
import { onError } from "./errors.tsx";
import { federationMiddleware } from "./federation-middleware.ts";
import { forwardedHeaders } from "./forwarded.ts";
import { ErrorPage } from "./pages/error-page.tsx";
import { createRender } from "./render.ts";
import { accountRoutes } from "./routes/account.tsx";
import { adminRoutes } from "./routes/admin.tsx";
import { composeRoutes } from "./routes/compose.tsx";
import { decisionDocumentRoutes } from "./routes/decision-documents.ts";
import { decisionFeedRoutes } from "./routes/decision-feeds.ts";
import { decisionFormRoutes } from "./routes/decision-forms.tsx";
import { decisionRoutes } from "./routes/decisions.tsx";
import { feedRoutes } from "./routes/feeds.ts";
import { mediaRoutes } from "./routes/media.ts";
import { memberRoutes } from "./routes/members.tsx";
import { publicRoutes } from "./routes/public.tsx";
import { timelineRoutes } from "./routes/timeline.tsx";
import { anonymousPageCache } from "./page-cache.ts";
import { cookieNames, sessionMiddleware } from "./session.ts";
import { staticRoutes } from "./static.ts";

/**
 * A strict policy: scripts and styles only from our own files (no inline
 * script anywhere), images from us or over https (remote avatars), forms only
 * to us, and no framing.
 */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "https:", "data:"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

/** The pages anyone reads, which signed-out readers may get from the page cache. */
const PUBLIC_PAGES = [
  "/",
  "/:handle{@[a-z0-9_]+}",
  "/posts/:id",
  "/notes/:id",
  "/tags/:tag",
  "/decisions",
  "/decisions/:id",
  "/:handle{@[a-z0-9_]+}/decisions",
];

/** The whole web side: federation, pages, the API and the stored activities. */
export function createApp(deps: WebDeps) {
  const { config, services, federation, contextData } = deps;
  const render = createRender(config);
  const app = new Hono<WebEnv>();

  app.onError(onError(deps.logError, render));
  app.notFound((c) =>
    c.req.path.startsWith("/api/")
      ? c.json({ error: "No such endpoint." }, 404)
      : render(c, (ctx) => <ErrorPage ctx={ctx} status={404} message="There is nothing at this address." />, 404),
  );
  app.use("*", forwardedHeaders(config.trustProxy));
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: CONTENT_SECURITY_POLICY,
      referrerPolicy: "strict-origin-when-cross-origin",
      xFrameOptions: "DENY",
      crossOriginResourcePolicy: false,
      // Routes that set their own (images: nothing may run at all) keep theirs.
      overwrite: false,
    }),
  );

  app.get("/health", (c) => c.json({ status: "ok" }));

  app.use(
    "*",
    federationMiddleware({
      federation,
      contextData,
      screenSignature: deps.screenSignature,
      inboxLimits: { maxBytes: config.inboxMaxBytes, maxDepth: config.inboxMaxDepth, maxItems: config.inboxMaxItems },
    }),
  );

  // Every activity we sent, at its id.
  app.get("/activities/:id", async (c) => {
    const json = await services.store.activities.find(c.req.param("id"));
    if (!json) return c.notFound();
    return c.body(JSON.stringify(json), 200, { "content-type": "application/activity+json" });
  });

  // Bodies are limited before anything reads them (pages below, after the session is known, so its 413 page shows who is signed in).
  const limits = bodyLimits(config.formMaxBytes);
  app.use("/api/*", limits);
  app.route("/api/v1", apiRoutes(deps));
  app.route("/", staticRoutes());
  app.route("/", mediaRoutes(deps));
  app.route("/", feedRoutes(deps));
  app.route("/", decisionFeedRoutes(deps));
  // Decision records answer servers with our own JSON-LD (Fedify's Article has no room for Connexo's terms).
  app.route("/", decisionDocumentRoutes(deps));

  // Pages for people: who is signed in, and forms that must carry their anti-forgery token.
  const pages = new Hono<WebEnv>();
  const cache = anonymousPageCache({ ttlMs: config.pageCacheSeconds * 1000, sessionCookie: cookieNames(config).session, now: deps.now });
  for (const path of PUBLIC_PAGES) pages.use(path, cache);
  pages.use("*", sessionMiddleware(services, config));
  pages.use("*", limits);
  pages.use("*", verifyCsrf(config.origin, render));
  const { app: publicPages, postPageFor } = publicRoutes(deps, render);
  pages.route("/", publicPages);
  pages.route("/", accountRoutes(deps, render));
  pages.route("/", composeRoutes(deps, render, postPageFor));
  pages.route("/", adminRoutes(deps, render));
  pages.route("/", memberRoutes(deps, render));
  pages.route("/", timelineRoutes(deps, render));
  pages.route("/", decisionRoutes(deps, render));
  pages.route("/", decisionFormRoutes(deps, render));
  app.route("/", pages);
  return app;
}
