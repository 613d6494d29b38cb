import { Article, Mention, Note, PUBLIC_COLLECTION, type Create } from "@fedify/vocab";
import type { InboxContext } from "@fedify/fedify";
import type { ContextData, FedCtx } from "../context.ts";
import { CONNEXO_SOFTWARE } from "../vocab/connexo-context.ts";
import { webHref } from "../vocab/urls.ts";
import { activityActor, isInvitationMessage, localActorHandle, localPostId, logger, objectOrGone, sameOrigin, toDate } from "./common.ts";
import { receiveOutcome } from "./outcome.ts";
import { readRemotePost, toRemotePostInput } from "./remote-post.ts";
import type { RemoteActorInput } from "../../src/domain/types.ts";
import type { IncomingReply } from "../../src/services/replies.ts";

/**
 * The communities here a post is published in: named as its `audience` (a
 * Connexo member elsewhere) or mentioned in a public post (a Mastodon member),
 * and addressed either way. Whether its author may publish there is the
 * community's to decide.
 */
async function communitiesPublishedIn(ctx: FedCtx, object: Note | Article): Promise<string[]> {
  const addressed = new Set([...object.toIds, ...object.ccIds].map((id) => id.href));
  const named = [...object.audienceIds];
  if (addressed.has(PUBLIC_COLLECTION.href)) named.push(...(await mentionedIds(object)));
  const handles = named
    .filter((id) => addressed.has(id.href))
    .map((id) => localActorHandle(ctx, id))
    .filter((handle): handle is string => handle !== null);
  return [...new Set(handles)];
}

/** The actors a post mentions, from its tags as the activity carried them. */
async function mentionedIds(object: Note | Article): Promise<URL[]> {
  const mentioned: URL[] = [];
  for await (const tag of object.getTags({ crossOrigin: "ignore" })) {
    if (tag instanceof Mention && tag.href) mentioned.push(tag.href);
  }
  return mentioned;
}

/** Tells the people here a post mentions; after a reply is received, so that its post's author is told of the reply instead. */
async function notifyMentioned(ctx: FedCtx, object: Note | Article, author: RemoteActorInput): Promise<void> {
  const handles = (await mentionedIds(object)).map((id) => localActorHandle(ctx, id)).filter((handle): handle is string => handle !== null);
  if (handles.length === 0) return;
  await ctx.data.services.notifications.receiveMention([...new Set(handles)], { uri: object.id!.href, url: webHref(object.url), author });
}

/** A reply to something of ours, as the replies service takes it; `requestUri` when it came in a ReplyRequest. */
export function incomingReply(ctx: FedCtx, object: Note | Article, author: RemoteActorInput, requestUri: string | null): IncomingReply {
  const inReplyTo = object.replyTargetId!;
  return {
    uri: object.id!.href,
    inReplyTo: inReplyTo.href,
    localPostId: localPostId(ctx, inReplyTo),
    author,
    url: webHref(object.url),
    contentHtml: object.content?.toString() ?? "",
    publishedAt: toDate(object.published) ?? new Date(),
    updatedAt: toDate(object.updated),
    requestUri,
    fromConnexo: object.generatorIds.some((id) => id.href === CONNEXO_SOFTWARE),
  };
}

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
  const { interactions, communityMembers, replies } = ctx.data.services;
  const inReplyTo = object.replyTargetId;
  // Answering a community's invitation message accepts it.
  if (inReplyTo && isInvitationMessage(ctx, inReplyTo)) {
    await communityMembers.receiveInvitationAnswer(inReplyTo.href, author.uri, true);
    return;
  }
  const communities = await communitiesPublishedIn(ctx, object);
  if (communities.length > 0 && create.id) {
    const post = toRemotePostInput(object, null);
    for (const handle of communities) {
      const outcome = await communityMembers.receiveMemberPost(handle, { post, author, activityUri: create.id.href });
      logger.info("A post by {author} in the community @{handle}: {outcome}", { author: author.uri, handle, outcome });
    }
  }
  if (inReplyTo) {
    const received = await replies.receive(incomingReply(ctx, object, author, null));
    if (object instanceof Note && create.actorId) await receiveOutcome(ctx, object, create.actorId);
    if (received) {
      // A reply held or refused by its community's policy tells no one.
      if (received.outcome === "accept") await notifyMentioned(ctx, object, author);
      logger.info("A reply by {author} to {post}: {outcome}", { author: author.uri, post: received.postId, outcome: received.outcome });
      return;
    }
  }
  await notifyMentioned(ctx, object, author);
  // Reading a decision's record costs a fetch: only for posts someone here follows.
  if (!(await interactions.keepsPostsBy(author.uri, null))) return;
  await interactions.receiveRemotePost(await readRemotePost(ctx, object, null), author);
}
