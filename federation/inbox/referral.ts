import { Article, type Announce, Note } from "@fedify/vocab";
import type { InboxContext } from "@fedify/fedify";
import { htmlToText } from "../../src/domain/sanitize.ts";
import { webUrl } from "../../src/domain/web-url.ts";
import type { ContextData, FedCtx } from "../context.ts";
import { fromApActorWithIcon } from "../vocab/actor.ts";
import { webHref } from "../vocab/urls.ts";
import { localActorHandle, logger, objectOrGone, sameOrigin } from "./common.ts";

/**
 * The community here a referral is for: an `Announce` with a note (its
 * `content`) addressed to one of our communities by name. A boost is addressed
 * to the public and followers, and says nothing.
 */
export async function referredCommunity(ctx: FedCtx, announce: Announce): Promise<string | null> {
  if (!announce.content) return null;
  for (const id of announce.toIds) {
    const handle = localActorHandle(ctx, id);
    // Only a community takes referrals: anything else addressed to a person here is what it always was.
    if (handle && (await ctx.data.services.actors.find(handle))?.kind === "community") return handle;
  }
  return null;
}

/**
 * A community elsewhere referred a reply to one of its consultations to a
 * community here. The reply is read from its own server (Fedify fetches an
 * object from another host afresh), and filed with the community's referred
 * input, with who referred it, why, and from which record.
 */
export async function onReferred(ctx: InboxContext<ContextData>, announce: Announce, handle: string): Promise<void> {
  const object = await objectOrGone(announce);
  if (!(object instanceof Note || object instanceof Article) || !object.id || !announce.actorId) return;
  const [author, referrer] = await Promise.all([
    // The author named by the reply counts only if the reply lives on the author's server.
    sameOrigin(object.attributionId, object.id) ? object.getAttribution().then((a) => (a ? fromApActorWithIcon(a) : null)) : null,
    announce.getActor().then((a) => (a ? fromApActorWithIcon(a) : null)),
  ]);
  // Only a community refers input: a person's Announce with words is not taken as one.
  if (referrer?.type !== "Group") {
    return logger.info("Ignored a referral to @{handle} from {actor}, which is not a community", { handle, actor: announce.actorId.href });
  }
  const filed = await ctx.data.services.outcomes.receiveReferral(handle, {
    objectUri: object.id.href,
    objectUrl: webHref(object.url) ?? object.id.href,
    authorUri: author?.uri ?? null,
    authorName: author?.name ?? author?.handle ?? null,
    contentHtml: object.content?.toString() ?? "",
    note: htmlToText(announce.content?.toString() ?? "").slice(0, 2_000),
    referredByUri: announce.actorId.href,
    referredByName: referrer?.name ?? referrer?.handle ?? null,
    recordUri: webUrl(announce.contextIds[0]?.href),
  });
  logger.info("{object} was referred to @{handle} by {actor}: {filed}", {
    object: object.id.href,
    handle,
    actor: announce.actorId.href,
    filed: filed ? "filed" : "already there, or no such community",
  });
}
