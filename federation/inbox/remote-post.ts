import { Article, type Note } from "@fedify/vocab";
import { htmlToText } from "../../src/domain/sanitize.ts";
import type { RemotePostInput } from "../../src/domain/types.ts";
import type { FedCtx } from "../context.ts";
import { webHref } from "../vocab/urls.ts";
import { toDate } from "./common.ts";
import { readRemoteDecision } from "./remote-decision.ts";

/** A remote Note or Article as the activity carried it. */
export function toRemotePostInput(object: Article | Note, announcedBy: URL | null): Omit<RemotePostInput, "remoteActorId"> {
  return {
    uri: object.id!.href,
    announcedBy: announcedBy?.href ?? null,
    type: object instanceof Article ? "Article" : "Note",
    name: object.name?.toString() ?? null,
    // ActivityStreams' summary is HTML; we keep (and show) it as text.
    summary: object.summary ? htmlToText(object.summary.toString()) || null : null,
    contentHtml: object.content?.toString() ?? "",
    url: webHref(object.url),
    inReplyTo: object.replyTargetId?.href ?? null,
    decision: null,
    publishedAt: toDate(object.published) ?? new Date(),
    updatedAt: toDate(object.updated),
  };
}

/**
 * A remote Note or Article as we keep it; a decision from another Connexo
 * instance with its structured record, as its document states it now.
 */
export async function readRemotePost(
  ctx: FedCtx,
  object: Article | Note,
  announcedBy: URL | null,
): Promise<Omit<RemotePostInput, "remoteActorId">> {
  const input = toRemotePostInput(object, announcedBy);
  const record = object instanceof Article ? await readRemoteDecision(ctx, object) : null;
  return record ? { ...input, ...record.article, decision: record.decision } : input;
}
