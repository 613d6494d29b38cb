import { timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { CookieOptions } from "hono/utils/cookie";
import type { Config } from "../config/config.ts";
import type { Actor } from "../domain/types.ts";
import type { Services } from "../services/index.ts";
import { randomSecret } from "../services/secrets.ts";
import { SESSION_DAYS } from "../services/sessions.ts";
import type { WebEnv } from "./env.ts";

/**
 * Cookies: the session, and an anti-forgery token for signed-out forms. On
 * https both are `__Host-` cookies (Secure, whole site, this host only).
 */
export function cookieNames(config: Config) {
  const url = new URL(config.origin);
  const secure = url.protocol === "https:";
  const prefix = secure ? "__Host-" : "";
  // Cookies are kept per host, not per port: two instances on one host (a demo) must not sign each other out.
  const suffix = url.port ? `_${url.port}` : "";
  const options: CookieOptions = { path: "/", httpOnly: true, sameSite: "Lax", secure };
  return { session: `${prefix}connexo_session${suffix}`, csrf: `${prefix}connexo_csrf${suffix}`, options };
}

/**
 * Finds the signed-in person (if any) and the anti-forgery token for this
 * request's forms: the session's own when signed in, else a random one kept
 * in a cookie (double submit).
 */
export function sessionMiddleware(services: Services, config: Config): MiddlewareHandler<WebEnv> {
  const names = cookieNames(config);
  return async (c, next) => {
    const secret = getCookie(c, names.session) ?? null;
    const session = secret ? await services.sessions.resume(secret) : null;
    if (secret && !session) deleteCookie(c, names.session, names.options);
    c.set("viewer", session?.person ?? null);
    c.set("sessionSecret", session ? secret : null);
    let csrf = session?.csrfToken ?? getCookie(c, names.csrf);
    if (!csrf) {
      csrf = randomSecret();
      setCookie(c, names.csrf, csrf, names.options);
    }
    c.set("csrfToken", csrf);
    const [instanceName, timeZone] = await Promise.all([services.setup.instanceName(), services.settings.timeZone()]);
    c.set("instanceName", instanceName);
    c.set("timeZone", timeZone);
    // The header tells those who moderate how many replies wait for them, and everyone signed in how many notifications they have not seen.
    const [held, unread] = session
      ? await Promise.all([services.replies.heldCount(session.person), services.notifications.unreadCount(session.person)])
      : [null, null];
    c.set("heldReplies", held);
    c.set("unreadNotifications", unread);
    await next();
  };
}

export function startSession(c: Context, config: Config, secret: string) {
  const names = cookieNames(config);
  setCookie(c, names.session, secret, { ...names.options, maxAge: SESSION_DAYS * 86_400 });
}

export function endSession(c: Context, config: Config) {
  deleteCookie(c, cookieNames(config).session, cookieNames(config).options);
}

/** Gives the browser a new session, ending the one it had (if any) so no stale sign-in lingers. */
export async function replaceSession(c: Context<WebEnv>, services: Services, config: Config, secret: string) {
  const previous = c.get("sessionSecret");
  if (previous) await services.sessions.signOut(previous);
  startSession(c, config, secret);
}

/** Signs in a person who has just created their account (no need to check the password they just chose). */
export async function signInNewAccount(c: Context<WebEnv>, services: Services, config: Config, person: Actor) {
  await replaceSession(c, services, config, (await services.sessions.start(person)).secret);
}

/** Whether a submitted anti-forgery token is this request's, compared in constant time. */
export function csrfMatches(expected: string, submitted: unknown): boolean {
  if (typeof submitted !== "string" || submitted.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(submitted), Buffer.from(expected));
}
