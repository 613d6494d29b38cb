import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono, type Context } from "hono";
import { DomainError, TooManyAttempts } from "../../domain/errors.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { SignInPage } from "../pages/sign-in-page.tsx";
import type { Pages } from "../people.ts";
import { replaceSession } from "../session.ts";
import { formText } from "./forms.ts";

/**
 * Where to go after signing in: only a path on this site. "//host" and
 * "/\host" would leave it (browsers read a backslash as a slash), and
 * whitespace can be stripped into either, so those all mean "/".
 */
function safeNext(next: string | undefined): string {
  return next && next.length <= 2000 && /^\/(?![/\\])[^\s\\]*$/.test(next) ? next : "/";
}

/**
 * Who is signing in, for the per-client limit on failures. Behind a trusted
 * proxy, the last X-Forwarded-For entry is the one that proxy added (earlier
 * entries are whatever the client sent); otherwise the socket's address.
 */
export function clientAddress(c: Context<WebEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // No socket (a request made in-process, as tests do).
    return "unknown";
  }
}

/** Signing in (`/sign-in`), then going back to the page that asked for it. */
export function signInRoutes({ services, config }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);

  app.get("/", (c) => {
    if (c.get("viewer")) return c.redirect("/", 303);
    const next = safeNext(c.req.query("next"));
    return render(c, (ctx) => <SignInPage ctx={ctx} next={next} />);
  });

  app.post("/", async (c) => {
    const handle = await formText(c, "handle");
    const next = safeNext(await formText(c, "next"));
    try {
      const { secret } = await services.sessions.signIn(handle, await formText(c, "password"), clientAddress(c, config.trustProxy));
      await replaceSession(c, services, config, secret);
      return c.redirect(next, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || (error.code !== "unauthorized" && error.code !== "too_many")) throw error;
      const status = error.code === "too_many" ? 429 : 401;
      // The page says how long to wait; Retry-After says it to programs.
      if (error instanceof TooManyAttempts) c.header("Retry-After", String(error.retryAfterSeconds));
      return render(c, (ctx) => <SignInPage ctx={ctx} handle={handle} next={next} problem={error.message} />, status);
    }
  });

  return app;
}
