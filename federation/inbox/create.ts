import { Article, Note, type Create } from "@fedify/vocab";
import type { InboxContext } from "@fedify/fedify";
import type { ContextData } from "../context.ts";
import { webHref } from "../vocab/urls.ts";
import { activityActor, localPostId, logger, objectOrGone, sameOrigin, toDate } from "./common.ts";
import { readRemotePost } from "./remote-post.ts";

/**
 * A Note or Article was created elsewhere: a reply to one of our posts (or to a
 * reply we hold) is kept as a reply; anything else is kept only if someone
 * here follows its author.
 */
export async function onCreated(ctx: InboxContext<ContextData>, create: Create): Promise<void> {
  const object = await objectOrGone(create);
  if (!(object instanceof Note || object instanceof Article) || !object.id) return;
  if (!sameOrigin(object.id, create.actorId) || (object.attributionId && !sameOrigin(object.attributionId, create.actorId))) {
    return logger.info("Ignored a Create of an object from another host: {id}", { id: object.id.href });
  }
  const author = await activityActor(ctx, create);
  if (!author) return;
  const { interactions } = ctx.data.services;
  const inReplyTo = object.replyTargetId;
  if (inReplyTo) {
    const kept = await interactions.receiveReply({
      uri: object.id.href,
      inReplyTo: inReplyTo.href,
      localPostId: localPostId(ctx, inReplyTo),
      author,
      url: webHref(object.url),
      contentHtml: object.content?.toString() ?? "",
      publishedAt: toDate(object.published) ?? new Date(),
      updatedAt: toDate(object.updated),
    });
    if (kept) return;
  }
  // Reading a decision's record costs a fetch: only for posts someone here follows.
  if (!(await interactions.keepsPostsBy(author.uri, null))) return;
  await interactions.receiveRemotePost(await readRemotePost(ctx, object, null), author);
}
