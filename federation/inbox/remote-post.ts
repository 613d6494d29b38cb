import { Article, type Note } from "@fedify/vocab";
import type { RemotePostInput } from "../../src/domain/types.ts";
import { toDate } from "./common.ts";

/** A remote Note or Article as we keep it in the network view. */
export function toRemotePostInput(object: Article | Note, announcedBy: URL | null): Omit<RemotePostInput, "remoteActorId"> {
  return {
    uri: object.id!.href,
    announcedBy: announcedBy?.href ?? null,
    type: object instanceof Article ? "Article" : "Note",
    name: object.name?.toString() ?? null,
    summary: object.summary?.toString() ?? null,
    contentHtml: object.content?.toString() ?? "",
    url: object.url instanceof URL ? object.url.href : (object.url?.href?.href ?? null),
    inReplyTo: object.replyTargetId?.href ?? null,
    decision: null,
    publishedAt: toDate(object.published) ?? new Date(),
    updatedAt: toDate(object.updated),
  };
}
