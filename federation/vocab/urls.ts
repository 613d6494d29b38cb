import type { Context } from "@fedify/fedify";
import type { Link } from "@fedify/vocab";
import { webUrl } from "../../src/domain/web-url.ts";

/**
 * An object's `url` (a URL, or a Link to one) as we keep it: only a web
 * address, since it becomes a link on our pages; anything else is dropped.
 */
export function webHref(url: URL | Link | null | undefined): string | null {
  return webUrl(url instanceof URL ? url.href : url?.href?.href);
}

/** The HTML page of a local actor: the same URL as its id, which serves both. */
export function actorPageUrl(ctx: Context<unknown>, handle: string): URL {
  return new URL(`/@${handle}`, ctx.canonicalOrigin);
}

/** Where we keep the activities we send, so that each is dereferenceable. */
export function activityUri(ctx: Context<unknown>, id: string): URL {
  return new URL(`/activities/${id}`, ctx.canonicalOrigin);
}

/** Keeps an activity we send so that its id answers with it. */
export async function rememberActivity(
  ctx: Context<{ services: { store: { activities: { save(id: string, json: unknown): Promise<void> } } } }>,
  activity: { id: URL | null; toJsonLd(options?: { format?: "compact" }): Promise<unknown> },
): Promise<void> {
  const prefix = new URL("/activities/", ctx.canonicalOrigin).href;
  if (!activity.id?.href.startsWith(prefix)) throw new Error(`Not a local activity id: ${activity.id?.href}`);
  await ctx.data.services.store.activities.save(activity.id.href.slice(prefix.length), await activity.toJsonLd({ format: "compact" }));
}
