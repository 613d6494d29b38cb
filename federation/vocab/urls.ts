import type { Context, DocumentLoader } from "@fedify/fedify";
import type { Link } from "@fedify/vocab";
import { activityPath, actorPath } from "../../src/domain/urls.ts";
import { webUrl } from "../../src/domain/web-url.ts";

/**
 * An object's `url` (a URL, or a Link to one) as we keep it: only a web
 * address, since it becomes a link on our pages; anything else is dropped.
 */
export function webHref(url: URL | Link | null | undefined): string | null {
  return webUrl(url instanceof URL ? url.href : url?.href?.href);
}

/**
 * The addresses of this instance as Fedify wants them: URLs on its canonical
 * origin, built from the paths the web app serves (src/domain/urls.ts).
 */
export function localUrl(ctx: Context<unknown>, path: string): URL {
  return new URL(path, ctx.canonicalOrigin);
}

/** The HTML page of a local actor: the same URL as its id, which serves both. */
export function actorPageUrl(ctx: Context<unknown>, handle: string): URL {
  return localUrl(ctx, actorPath(handle));
}

/** Where we keep the activities we send, so that each is dereferenceable. */
export function activityUri(ctx: Context<unknown>, id: string): URL {
  return localUrl(ctx, activityPath(id));
}

/** Keeps an activity we send so that its id answers with it. Returns it as kept: compacted JSON-LD. */
export async function rememberActivity(
  ctx: Context<{ services: { sentActivities: { remember(id: string, activity: unknown): Promise<void> } } }>,
  activity: { id: URL | null; toJsonLd(options?: { format?: "compact"; contextLoader?: DocumentLoader }): Promise<unknown> },
): Promise<unknown> {
  const prefix = new URL("/activities/", ctx.canonicalOrigin).href;
  if (!activity.id?.href.startsWith(prefix)) throw new Error(`Not a local activity id: ${activity.id?.href}`);
  const json = await activity.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader });
  await ctx.data.services.sentActivities.remember(activity.id.href.slice(prefix.length), json);
  return json;
}
