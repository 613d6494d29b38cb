import type { Context } from "hono";
import { DEFAULT_TIME_ZONE } from "../../domain/time-zone.ts";
import type { Actor } from "../../domain/types.ts";
import type { WebEnv } from "../env.ts";

/** What every page needs to know about the request it answers. */
export interface PageContext {
  viewer: Actor | null;
  /** The anti-forgery token forms must carry ("" where no form can be posted). */
  csrfToken: string;
  instanceName: string;
  /** The instance's time zone: times are shown and read in it (storage keeps UTC). */
  timeZone: string;
  origin: string;
  /** Host as in @handle@host. */
  host: string;
  /** How many replies wait for the viewer's approval; null if they moderate nothing. */
  heldReplies: number | null;
  /** How many notifications the viewer has not seen; null when no one is signed in. */
  unreadNotifications: number | null;
}

export function pageContext(c: Context<WebEnv>, origin: string, fallbackName: string): PageContext {
  // Errors can be rendered before the session middleware ran: then no one is signed in.
  const vars = c.var as Partial<WebEnv["Variables"]>;
  return {
    viewer: vars.viewer ?? null,
    csrfToken: vars.csrfToken ?? "",
    instanceName: vars.instanceName ?? fallbackName,
    timeZone: vars.timeZone ?? DEFAULT_TIME_ZONE,
    origin,
    host: new URL(origin).host,
    heldReplies: vars.heldReplies ?? null,
    unreadNotifications: vars.unreadNotifications ?? null,
  };
}
