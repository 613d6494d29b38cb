import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { CONNEXO_CONTEXT_PATH } from "../../federation/vocab/connexo-context.ts";
import { ACCOUNT_EMAIL_PATH, COMMUNITIES_PATH, FORGOT_PASSWORD_PATH, INPUT_PATH } from "../domain/urls.ts";
import { apiRoutes } from "./api.ts";
import { bodyLimits } from "./body-limits.ts";
import { verifyCsrf } from "./csrf.tsx";
import type { WebDeps } from "./deps.ts";
import type { WebEnv } from "./env.ts";
import { onError } from "./errors.tsx";
import { federationMiddleware } from "./federation-middleware.ts";
import { forwardedHeaders } from "./forwarded.ts";
import { anonymousPageCache } from "./page-cache.ts";
import { requestMetrics } from "./request-metrics.ts";
import { ErrorPage } from "./pages/error-page.tsx";
import { forPeopleOnce, type Pages } from "./people.ts";
import { createRender } from "./render.ts";
import { aboutRoutes } from "./routes/about.tsx";
import { activityRoutes } from "./routes/activities.ts";
import { actorRoutes } from "./routes/actors/index.tsx";
import { adminRoutes } from "./routes/admin.tsx";
import { communityRoutes } from "./routes/communities.tsx";
import { deadLetterRoutes } from "./routes/dead-letters.tsx";
import { domainBlockRoutes } from "./routes/domain-blocks.tsx";
import { composeRoutes } from "./routes/compose.tsx";
import { decisionRoutes } from "./routes/decisions/index.tsx";
import { impactRoutes } from "./routes/impact.tsx";
import { draftRoutes } from "./routes/drafts.tsx";
import { feedRoutes } from "./routes/feed.ts";
import { homeRoutes } from "./routes/home.tsx";
import { inputRoutes } from "./routes/input.tsx";
import { invitationRoutes } from "./routes/invitations.tsx";
import { membershipRoutes } from "./routes/memberships.tsx";
import { mediaRoutes } from "./routes/media.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { noteRoutes } from "./routes/notes.tsx";
import { postRoutes } from "./routes/posts.tsx";
import { adminReportsRedirect, reportRoutes } from "./routes/reports.tsx";
import { accountBlockRoutes } from "./routes/account-blocks.tsx";
import { ACCOUNT_BLOCKS_PATH } from "./pages/account-blocks-page.tsx";
import { moderationQueueRoutes } from "./routes/moderation-queue.tsx";
import { notificationRoutes } from "./routes/notifications.tsx";
import { NOTIFICATIONS_PATH } from "../domain/urls.ts";
import { accountRoutes, passwordResetRoutes } from "./routes/passwords.tsx";
import { accountProfileRoutes } from "./routes/account-profile.tsx";
import { accountEmailRoutes } from "./routes/account-email.tsx";
import { forgotPasswordRoutes } from "./routes/forgot-password.tsx";
import { FOLLOWS_PATH, MODERATION_PATH, PROFILE_PATH, REACTIONS_PATH } from "../domain/urls.ts";
import { setupRoutes } from "./routes/setup.tsx";
import { signInRoutes } from "./routes/sign-in.tsx";
import { signOutRoutes } from "./routes/sign-out.ts";
import { faviconRoute, staticRoutes } from "./routes/static.ts";
import { tagRoutes } from "./routes/tags.tsx";
import { timelineRoutes } from "./routes/timeline.tsx";
import { reactionRoutes } from "./routes/reactions.tsx";
import { followRoutes } from "./routes/follows.tsx";
import { vocabularyRoutes } from "./routes/vocabulary.ts";
import { cookieNames, sessionMiddleware } from "./session.ts";

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
  // First, so that it times and counts every request, whatever answers it.
  if (deps.metrics) app.use("*", requestMetrics(deps.metrics, config.inboxMaxBytes));
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
  // Only with a token to ask for (CONNEXO_METRICS_TOKEN); otherwise /metrics is not there at all.
  if (deps.metrics && config.metricsToken) app.route("/metrics", metricsRoutes(deps.metrics, config.metricsToken));

  app.use(
    "*",
    federationMiddleware({
      federation,
      immediate: deps.immediate,
      screened: deps.screened,
      contextData,
      screenSignature: deps.screenSignature,
      now: deps.now,
      inboxLimits: { maxBytes: config.inboxMaxBytes, maxDepth: config.inboxMaxDepth, maxItems: config.inboxMaxItems },
    }),
  );

  // Every activity we sent, at its id.
  app.route("/activities", activityRoutes(deps));

  // Bodies are limited before anything reads them (for pages, after the session is known, so its 413 page shows who is signed in).
  const limits = bodyLimits(config.formMaxBytes);
  app.use("/api/*", limits);
  app.route("/api/v1", apiRoutes(deps));
  app.route("/static", staticRoutes());
  app.route("/favicon.ico", faviconRoute());
  app.route("/media", mediaRoutes(deps));
  app.route(CONNEXO_CONTEXT_PATH, vocabularyRoutes(deps));
  app.route("/feed.atom", feedRoutes(deps));

  // One sub-app per resource, at its path. Each serves feed readers and servers first, if it has anything
  // for them, then its pages for people: who is signed in, and forms that must carry their anti-forgery token.
  const pages: Pages = {
    render,
    forPeople: forPeopleOnce(sessionMiddleware(services, config), limits, verifyCsrf(config.origin, render)),
    cached: anonymousPageCache({ ttlMs: config.pageCacheSeconds * 1000, sessionCookie: cookieNames(config).session, now: deps.now }),
  };
  app.route("/", homeRoutes(deps, pages));
  app.route("/:handle{@[a-z0-9_]+}", actorRoutes(deps, pages));
  app.route(COMMUNITIES_PATH, communityRoutes(deps, pages));
  app.route("/posts", postRoutes(deps, pages));
  app.route("/notes", noteRoutes(deps, pages));
  app.route("/tags", tagRoutes(deps, pages));
  app.route("/decisions", decisionRoutes(deps, pages));
  app.route("/impact", impactRoutes(deps, pages));
  app.route("/compose", composeRoutes(deps, pages));
  app.route("/drafts", draftRoutes(deps, pages));
  app.route("/timeline", timelineRoutes(deps, pages));
  app.route(REACTIONS_PATH, reactionRoutes(deps, pages));
  app.route(FOLLOWS_PATH, followRoutes(deps, pages));
  // Mounted before /admin, so that its own checks come first.
  app.route("/admin/dead-letters", deadLetterRoutes(deps, pages));
  app.route("/admin/domain-blocks", domainBlockRoutes(deps, pages));
  app.route(ACCOUNT_BLOCKS_PATH, accountBlockRoutes(deps, pages));
  app.route("/admin/reports", adminReportsRedirect());
  app.route("/reports", reportRoutes(deps, pages));
  app.route(MODERATION_PATH, moderationQueueRoutes(deps, pages));
  app.route("/admin", adminRoutes(deps, pages));
  app.route("/about", aboutRoutes(deps, pages));
  app.route("/setup", setupRoutes(deps, pages));
  app.route("/invitations", invitationRoutes(deps, pages));
  app.route("/memberships", membershipRoutes(deps, pages));
  app.route(INPUT_PATH, inputRoutes(deps, pages));
  app.route(NOTIFICATIONS_PATH, notificationRoutes(deps, pages));
  // Before "/account" and "/password-reset", whose pages sit beside these.
  app.route(ACCOUNT_EMAIL_PATH, accountEmailRoutes(deps, pages));
  app.route(FORGOT_PASSWORD_PATH, forgotPasswordRoutes(deps, pages));
  app.route(PROFILE_PATH, accountProfileRoutes(deps, pages));
  app.route("/account", accountRoutes(deps, pages));
  app.route("/password-reset", passwordResetRoutes(deps, pages));
  app.route("/sign-in", signInRoutes(deps, pages));
  app.route("/sign-out", signOutRoutes(deps, pages));
  // Addresses no resource answers: their 404 page still knows who is signed in.
  app.use("*", pages.forPeople);
  return app;
}
