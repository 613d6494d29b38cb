import type { Federation } from "@fedify/fedify";
import type { MiddlewareHandler } from "hono";
import type { ContextData } from "../../federation/context.ts";
import type { ScreenResult } from "../../federation/signature-screen.ts";
import { signatureKeyId } from "../../federation/signature-screen.ts";
import { carryingSigner } from "../../federation/inbox/signer.ts";
import { inboxRoute } from "./immediate-inbox.ts";
import { isInboxPath, readLimitedBody, type InboxLimits } from "./inbox-limits.ts";
import { InboxRateLimiter } from "./inbox-rate-limits.ts";

export interface FederationMiddlewareOptions {
  federation: Federation<ContextData>;
  /** The same federation handling inbox activities while their sender waits (see `immediate-inbox.ts`); none: all are queued. */
  immediate?: Federation<ContextData> | null;
  /** The same federation queuing inbox activities without checking their signature again (see `immediate-inbox.ts`); none: Fedify checks each again. */
  screened?: Federation<ContextData> | null;
  contextData: ContextData;
  inboxLimits: InboxLimits;
  /** Why an inbox request is refused (a signature that does not do, a blocked sender), or whose key signed it. */
  screenSignature(request: Request, body: Uint8Array): Promise<ScreenResult>;
  /** The instance's clock, in epoch milliseconds, for the limits on what each server and actor posts a minute. */
  now?: () => number;
}

/**
 * Hands requests to Fedify. What Fedify has no route for, or cannot serve in
 * the requested format (a browser asking for HTML), falls through to the web
 * pages. Inbox POSTs are counted against the limits on what each server and
 * actor posts a minute (`inbox-rate-limits.ts`), held to the inbox limits,
 * and their signatures verified, before Fedify parses them: nothing costly
 * happens for a stranger. The cheap ones are then handled at once, the rest
 * queued (those signed by their actor without Fedify checking the signature
 * again).
 */
export function federationMiddleware(options: FederationMiddlewareOptions): MiddlewareHandler {
  const { contextData, inboxLimits, screenSignature } = options;
  const { config, services } = contextData;
  const rates = new InboxRateLimiter({
    limits: { perDomain: config.inboxLimitPerDomain, perActor: config.inboxLimitPerActor },
    now: options.now ?? (() => Date.now()),
    hasFollowerFrom: (origin) => services.follows.hasFollowerFrom(origin),
  });
  return async (c, next) => {
    let request = c.req.raw;
    let federation = options.federation;
    let requestData = contextData;
    // Set when the activity is queued for a listener to compare with its actor: who signed it.
    let queuedSigner: string | null = null;
    const inbox = isInboxPath(new URL(request.url).pathname);
    // Fedify takes POSTs only at inboxes; any other POST is a form for the pages.
    if (request.method !== "GET" && request.method !== "HEAD" && !inbox) return next();
    // A browser asking for a page would only be passed back by Fedify's content negotiation.
    if (wantsPageOnly(request)) return next();
    if (request.method === "POST" && inbox) {
      // Who signed it is known from the headers alone: the limits are checked before anything is read, fetched or verified.
      const keyId = rates.enabled ? signatureKeyId(request) : null;
      const rate = keyId ? rates.check(keyId) : null;
      const checked = await readLimitedBody(request, inboxLimits);
      if (!checked.ok) return c.json({ error: checked.message }, checked.status);
      if (keyId && rate && !rate.ok && !(await rates.firstFollow(keyId, checked.body))) {
        c.header("Retry-After", String(rate.retryAfterSeconds));
        return c.json({ error: "Too many activities from this server or actor; try again later." }, 429);
      }
      request = new Request(request.url, { method: "POST", headers: request.headers, body: checked.body as Uint8Array<ArrayBuffer> });
      const screened = await screenSignature(request, checked.body);
      if (screened.refusal) return c.json({ error: screened.refusal.message }, screened.refusal.status);
      // Counted only once its signature verifies: a forged key id uses up no one's allowance.
      if (keyId) rates.count(keyId);
      const route = screened.signer === null ? "fedify" : inboxRoute(checked.body, screened.signer);
      if (route === "at once" && options.immediate) {
        federation = options.immediate;
        requestData = { ...contextData, signedBy: screened.signer! };
      } else if (route === "screened" && options.screened) {
        federation = options.screened;
        queuedSigner = screened.signer;
      }
    }
    let fellThrough = false;
    const handle = () =>
      federation.fetch(request, {
        contextData: requestData,
        onNotFound: async () => {
          fellThrough = true;
          await next();
          return c.res;
        },
        onNotAcceptable: async () => {
          fellThrough = true;
          await next();
          return c.res;
        },
      });
    const response = await (queuedSigner === null ? handle() : carryingSigner(queuedSigner, handle));
    if (!fellThrough) return response;
    return c.res;
  };
}

/**
 * A request for HTML that does not also accept ActivityPub JSON. Discovery
 * documents (WebFinger, NodeInfo) answer JSON whatever is asked, so those
 * always go to Fedify.
 */
function wantsPageOnly(request: Request): boolean {
  const accept = request.headers.get("accept") ?? "";
  if (!accept.includes("text/html") || /application\/(activity|ld)\+json/.test(accept)) return false;
  const path = new URL(request.url).pathname;
  return !path.startsWith("/.well-known/") && !path.startsWith("/nodeinfo/");
}
