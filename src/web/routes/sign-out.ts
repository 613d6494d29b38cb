import { Hono } from "hono";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import type { Pages } from "../people.ts";
import { endSession } from "../session.ts";

/** Signing out (`/sign-out`, a form in every page's header). */
export function signOutRoutes({ services, config }: WebDeps, { forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);

  app.post("/", async (c) => {
    const secret = c.get("sessionSecret");
    if (secret) await services.sessions.signOut(secret);
    endSession(c, config);
    return c.redirect("/", 303);
  });

  return app;
}
