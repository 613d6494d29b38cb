import { FetchError } from "@fedify/fedify";
import type { Activity } from "@fedify/vocab";
import { actorPath, decisionPath, notePath, postPath } from "../../src/domain/urls.ts";
import { getLogger } from "@logtape/logtape";
import type { RemoteActorInput } from "../../src/domain/types.ts";
import type { FedCtx } from "../context.ts";
import { fromApActorWithIcon } from "../vocab/actor.ts";

export const logger = getLogger(["connexo", "inbox"]);

/** Whether an URI is on the origin this instance publishes under: the one remote servers name our things by. */
function onOurOrigin(ctx: FedCtx, uri: URL): boolean {
  return uri.origin === new URL(ctx.canonicalOrigin).origin;
}

/** Where our posts live, by their ids (UUIDs): weeknotes, notes and decision records. */
const POST_PATH = new RegExp(
  `^(?:${[postPath(""), notePath(""), decisionPath("")].join("|")})([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`,
);

/**
 * The local post an URI names, if it is one of ours: a weeknote or note (at
 * its Fedify route), or a decision record (at its page). Matched against the
 * paths themselves: Fedify's `parseUri` tries the URI against every route's
 * template, and every reply, like and boost asks.
 */
export function localPostId(ctx: FedCtx, uri: URL | null): string | null {
  if (!uri || !onOurOrigin(ctx, uri)) return null;
  return POST_PATH.exec(uri.pathname)?.[1] ?? null;
}

/** Whether an URI is one of our communities' invitations by message (favouriting or answering one accepts it). */
export function isInvitationMessage(ctx: FedCtx, uri: URL): boolean {
  return onOurOrigin(ctx, uri) && /^\/activities\/invitation-[0-9a-f-]{36}$/.test(uri.pathname);
}

/** Where our actors live, by their handles. */
const ACTOR_PATH = new RegExp(`^${actorPath("")}([^/]+)$`);

/** The local actor an URI names, if it is one of ours; matched against the actors' path as `localPostId` matches posts. */
export function localActorHandle(ctx: FedCtx, uri: URL | null): string | null {
  if (!uri || !onOurOrigin(ctx, uri)) return null;
  const handle = ACTOR_PATH.exec(uri.pathname)?.[1];
  if (handle === undefined) return null;
  try {
    return decodeURIComponent(handle);
  } catch {
    return null;
  }
}

/** An object is only taken as the actor's own when it lives on the actor's host. */
export function sameOrigin(a: URL | null, b: URL | null): boolean {
  return a !== null && b !== null && a.origin === b.origin;
}

/**
 * The activity's actor, reduced to what we keep. An actor we already know is
 * taken from our table (their Update keeps it fresh) instead of being fetched
 * again for every activity; a new one is fetched. Null, and logged, when the
 * actor is blocked here, or the fetched document is no actor of the
 * activity's host, or has no inbox.
 */
export async function activityActor(ctx: FedCtx, activity: Activity): Promise<RemoteActorInput | null> {
  if (!activity.actorId) return null;
  // Most blocked accounts are refused at the door by their key's address; one signing with a key elsewhere stops here.
  if (await ctx.data.services.accountBlocks.isBlocked(activity.actorId.href)) {
    logger.info("Ignored {type} {id}: its actor is blocked", logFields(activity));
    return null;
  }
  const known = await ctx.data.services.remoteActors.known(activity.actorId.href);
  if (known) return known;
  // Its document is usually at hand: fetched moments ago, unsigned, for the key that signed the activity.
  // Otherwise it is fetched as Fedify fetches in an inbox (signed, for servers that ask who is asking).
  const actor =
    (await activity.getActor({ documentLoader: ctx.data.cachedOnlyLoader, suppressError: true })) ?? (await activity.getActor());
  const record = actor && sameOrigin(actor.id, activity.actorId) ? await fromApActorWithIcon(actor) : null;
  if (!record) logger.info("Ignored {type} {id}: its actor {actor} is not one we can keep", logFields(activity));
  return record;
}

/** An activity as the log names it. */
export function logFields(activity: Activity): { id: string | undefined; type: string; actor: string | undefined } {
  return { id: activity.id?.href, type: activity.constructor.name, actor: activity.actorId?.href };
}

export const toDate = (instant: { epochMilliseconds: number } | null | undefined) => (instant ? new Date(instant.epochMilliseconds) : null);

/**
 * The activity's object, fetched if only named. When its server answers that
 * it is gone (404 or 410), null: the activity is dropped rather than retried
 * ten times. Other failures throw, so the activity is retried later.
 */
export async function objectOrGone(activity: Activity) {
  try {
    return await activity.getObject();
  } catch (error) {
    const status = error instanceof FetchError ? error.response?.status : undefined;
    if (status !== 404 && status !== 410) throw error;
    logger.info("Dropped a {type} of {object}: its server says it is gone", {
      type: activity.constructor.name,
      object: activity.objectId?.href,
    });
    return null;
  }
}
