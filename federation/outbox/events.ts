import { Announce, Create, Delete, Follow, isActor, Like, Update } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { DomainEvent } from "../../src/domain/events.ts";
import type { Post } from "../../src/domain/types.ts";
import type { FedCtx } from "../context.ts";
import { fromApActorWithIcon } from "../vocab/actor.ts";
import { activityIds } from "../vocab/activity-ids.ts";
import { postAuthors } from "../vocab/load.ts";
import { toRecipient } from "../vocab/recipient.ts";
import { sendTo } from "../delivery-policy.ts";
import { addressedAs, audienceOf, type PostAuthors, toApObject, toTombstone } from "../vocab/post.ts";
import { activityUri, rememberActivity } from "../vocab/urls.ts";
import {
  sendInvitation,
  sendInvitationAnswer,
  sendJoin,
  sendJoinAnswer,
  sendLeave,
  sendMemberChange,
  sendShared,
  sendWithdrawn,
  sendWithdrawRequest,
} from "./memberships.ts";
import { sendProfileUpdate } from "./profiles.ts";
import { sendReferral } from "./referrals.ts";
import { sendFlag } from "./reports.ts";
import { sendReplyAnswer } from "./reply-answers.ts";
import { sendReactionUndo, sendUnfollow } from "./undo.ts";
import { authorOf, lookupAccount, sendToAudience } from "./recipients.ts";

const logger = getLogger(["connexo", "outbox"]);

/**
 * Turns one domain event into the activities other servers must receive.
 * This is the one place that sends; Fedify queues each delivery and retries it.
 * A failure is logged with its event and thrown, so that the events queue
 * tries the event again (with the same activity ids).
 */
export async function handleEvent(ctx: FedCtx, event: DomainEvent): Promise<void> {
  try {
    await sendFor(ctx, event);
  } catch (error) {
    logger.warn("Could not send what the event {type} calls for; it will be tried again: {error}", { type: event.type, event, error });
    throw error;
  }
}

async function sendFor(ctx: FedCtx, event: DomainEvent): Promise<void> {
  switch (event.type) {
    case "post.published":
      return withPost(ctx, event, (post) => sendPublished(ctx, post));
    case "post.updated":
      return withPost(ctx, event, (post) => sendUpdated(ctx, post, event.version));
    case "post.deleted":
      return withPost(ctx, event, (post) => sendDeleted(ctx, post));
    case "follow.requested":
      return sendFollow(ctx, event.followingId);
    case "reaction.sent":
      return sendReaction(ctx, event.reactionId);
    case "reaction.undone":
      return sendReactionUndo(ctx, event);
    case "follow.undone":
      return sendUnfollow(ctx, event);
    case "member.invited":
      return sendInvitation(ctx, event);
    case "member.answered":
      return sendJoinAnswer(ctx, event);
    case "member.changed":
      return sendMemberChange(ctx, event.change);
    case "elsewhere.requested":
      return sendJoin(ctx, event);
    case "elsewhere.answered":
      return sendInvitationAnswer(ctx, event);
    case "elsewhere.left":
      return sendLeave(ctx, event);
    case "community.shared":
      return sendShared(ctx, event);
    case "community.withdrawn":
      return sendWithdrawn(ctx, event);
    case "elsewhere.withdraw":
      return sendWithdrawRequest(ctx, event);
    case "actor.updated":
      return sendProfileUpdate(ctx, event);
    case "report.forwarded":
      return sendFlag(ctx, event);
    case "reply.answered":
      return sendReplyAnswer(ctx, event);
    case "outcome.referred":
      return sendReferral(ctx, event);
    case "decision.consultation-due":
      // Closing stores a post.updated event, which sends the Update.
      await ctx.data.services.decisions.closeIfDue(event.decisionId, event.closesAt);
      return;
  }
}

async function withPost(ctx: FedCtx, event: DomainEvent & { postId: string }, send: (post: Post) => Promise<void>) {
  const post = await ctx.data.services.deliveries.postOfEvent(event.postId);
  if (!post) return logger.warn("Nothing sent for {type}: post {id} does not exist", { type: event.type, id: event.postId, event });
  await send(post);
}

/** The author Creates the post; its community Announces the post itself to the community's followers. */
async function sendPublished(ctx: FedCtx, post: Post) {
  if (post.state !== "published") {
    return logger.debug("Post {id} is {state} now: its Create is not sent", { id: post.id, state: post.state });
  }
  const authors = await postAuthors(ctx, post);
  const object = await toApObject(ctx, post, authors);
  const ids = activityIds(ctx, post.id);
  const create = new Create({ id: ids.create, actor: object.attributionId, object, published: object.published, ...addressedAs(object) });
  await rememberActivity(ctx, create);
  const replyTarget = post.inReplyTo ? await authorOrNobody(ctx, post.inReplyTo, `the reply ${post.id}`) : null;
  await sendToAudience(ctx, authors.author, create, {
    followersOf: [authors.author],
    also: [...(replyTarget ? [replyTarget] : []), ...remoteCommunityOf(authors)],
  });
  if (!authors.community) return;
  const announce = new Announce({
    id: ids.announce,
    actor: ctx.getActorUri(authors.community.handle),
    object,
    published: object.published,
    to: audienceOf(ctx, authors).to,
    ccs: [ctx.getFollowersUri(authors.community.handle)],
  });
  await rememberActivity(ctx, announce);
  await sendToAudience(ctx, authors.community, announce, { followersOf: [authors.community] });
}

/** Edits and deletions go from the author to everyone who received the post: their followers and the community's. */
async function everyoneWhoGotIt(ctx: FedCtx, post: Post) {
  const authors = await postAuthors(ctx, post);
  const replyTarget = post.inReplyTo ? await authorOrNobody(ctx, post.inReplyTo, `the reply ${post.id}`) : null;
  return {
    authors,
    audience: {
      followersOf: authors.community ? [authors.author, authors.community] : [authors.author],
      also: [...(replyTarget ? [replyTarget] : []), ...remoteCommunityOf(authors)],
    },
  };
}

/** A community elsewhere that a post is published in receives it, to share it with its followers. */
function remoteCommunityOf(authors: PostAuthors) {
  return authors.remoteCommunity ? [toRecipient(authors.remoteCommunity)] : [];
}

async function sendUpdated(ctx: FedCtx, post: Post, version: number) {
  // A later edit supersedes this one; a deleted post sends its Delete instead.
  if (post.state !== "published" || post.version !== version) {
    return logger.debug("Post {id} moved on from version {version}: its Update is not sent", { id: post.id, version });
  }
  const { authors, audience } = await everyoneWhoGotIt(ctx, post);
  const object = await toApObject(ctx, post, authors);
  const update = new Update({
    id: activityIds(ctx, post.id).update(version),
    actor: object.attributionId,
    object,
    updated: object.updated,
    ...addressedAs(object),
  });
  await rememberActivity(ctx, update);
  await sendToAudience(ctx, authors.author, update, audience);
}

async function sendDeleted(ctx: FedCtx, post: Post) {
  const { authors, audience } = await everyoneWhoGotIt(ctx, post);
  const del = new Delete({
    id: activityIds(ctx, post.id).delete,
    actor: ctx.getActorUri(authors.author.handle),
    object: toTombstone(ctx, post),
    ...audienceOf(ctx, authors),
  });
  await rememberActivity(ctx, del);
  await sendToAudience(ctx, authors.author, del, audience);
}

/** Finds the account to follow (by handle or URL) and sends the Follow. */
async function sendFollow(ctx: FedCtx, followingId: string) {
  const { deliveries, follows } = ctx.data.services;
  const toSend = await deliveries.followToSend(followingId);
  if (!toSend) return logger.debug("Follow {id} was sent already, or is gone", { id: followingId });
  const { following, follower: local } = toSend;
  if (!local) return logger.warn("Follow {id} is not sent: the local actor who asked is gone", { id: followingId });
  const target = await lookupAccount(ctx, following.target).catch((error) => {
    logger.warn("Could not look up {target} for follow {id}: {error}", { target: following.target, id: followingId, error });
    return undefined;
  });
  const record = isActor(target) ? await fromApActorWithIcon(target) : null;
  const stillWanted = await follows.followingResolved(followingId, record);
  if (!stillWanted) return logger.debug("Follow {id} was taken back while it was looked up: nothing is sent", { id: followingId });
  if (!record || !isActor(target)) {
    // A lookup that failed was logged above; one that found no such actor is said here.
    if (target !== undefined)
      logger.warn("Follow {id} failed: {target} is not an actor with an inbox", { id: followingId, target: following.target });
    return;
  }
  const follow = new Follow({
    id: activityUri(ctx, `follow-${followingId}`),
    actor: ctx.getActorUri(local.handle),
    object: target.id,
    to: target.id,
  });
  await rememberActivity(ctx, follow);
  await sendTo(ctx, local.handle, target, follow);
}

/** A local like or boost goes to the post's author; a boost also to the booster's followers. */
async function sendReaction(ctx: FedCtx, reactionId: string) {
  const toSend = await ctx.data.services.deliveries.reactionToSend(reactionId);
  if (!toSend) return logger.warn("Reaction {id} is not sent: it does not exist", { id: reactionId });
  const { reaction, actor } = toSend;
  if (!actor) return logger.warn("Reaction {id} is not sent: the local actor who made it is gone", { id: reactionId });
  const author = await authorOrNobody(ctx, reaction.objectUri, `the ${reaction.kind} ${reaction.id}`);
  const object = new URL(reaction.objectUri);
  const id = activityUri(ctx, `${reaction.kind}-${reaction.id}`);
  const actorUri = ctx.getActorUri(actor.handle);
  const activity =
    reaction.kind === "like"
      ? new Like({ id, actor: actorUri, object, to: author?.id ?? null })
      : new Announce({
          id,
          actor: actorUri,
          object,
          to: audienceOf(ctx, { author: actor, community: null, remoteCommunity: null }).to,
          ccs: [ctx.getFollowersUri(actor.handle), ...(author?.id ? [author.id] : [])],
        });
  await rememberActivity(ctx, activity);
  await sendToAudience(ctx, actor, activity, {
    followersOf: reaction.kind === "announce" ? [actor] : [],
    also: author ? [author] : [],
  });
}

/** An actor named by URL, or by handle through WebFinger (under our fetch limits, not Fedify's own). */
/**
 * The author of the post at `uri`, to address them too; if they cannot be
 * found (their server is down, say), the activity still goes to everyone
 * else, and the log says who was left out and why.
 */
async function authorOrNobody(ctx: FedCtx, uri: string, what: string) {
  try {
    return await authorOf(ctx, uri);
  } catch (error) {
    logger.warn("Could not find the author of {uri}, so {what} does not go to them: {error}", { uri, what, error });
    return null;
  }
}
