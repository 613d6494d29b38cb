import { Article, Delete, Note, Update, type Announce, type Like } from "@fedify/vocab";
import type { InboxContext } from "@fedify/fedify";
import type { ContextData } from "../context.ts";
import { fromApActorWithIcon } from "../vocab/actor.ts";
import { activityActor, isInvitationMessage, localPostId, objectOrGone, sameOrigin } from "./common.ts";
import { onReferred, referredCommunity } from "./referral.ts";
import { readRemotePost } from "./remote-post.ts";

/** Someone liked one of our posts, or favourited an invitation to join a community. */
export async function onLiked(ctx: InboxContext<ContextData>, like: Like): Promise<void> {
  // Favouriting a community's invitation message accepts it.
  if (like.objectId && like.actorId && isInvitationMessage(ctx, like.objectId)) {
    await ctx.data.services.communityMembers.receiveInvitationAnswer(like.objectId.href, like.actorId.href, true);
    return;
  }
  const postId = localPostId(ctx, like.objectId);
  if (!postId || !like.id) return;
  const actor = await activityActor(ctx, like);
  if (actor) await ctx.data.services.interactions.receiveReaction("like", like.id.href, postId, actor);
}

/**
 * Someone boosted a post: one of ours is counted as a share; someone else's,
 * boosted by an actor we follow (a community re-sharing its members' posts),
 * goes to the network view.
 */
export async function onAnnounced(ctx: InboxContext<ContextData>, announce: Announce): Promise<void> {
  if (!announce.id || !announce.actorId) return;
  // A community elsewhere passing on a reply to one here, with why: not a boost, even of a post of ours.
  const referredTo = await referredCommunity(ctx, announce);
  if (referredTo) return onReferred(ctx, announce, referredTo);
  const { interactions } = ctx.data.services;
  const postId = localPostId(ctx, announce.objectId);
  if (postId) {
    const actor = await activityActor(ctx, announce);
    if (actor) await interactions.receiveReaction("announce", announce.id.href, postId, actor);
    return;
  }
  if (!(await interactions.keepsBoostsBy(announce.actorId.href))) return;
  // Fedify refetches an embedded object from its own host when the hosts differ, so it can be trusted.
  const object = await objectOrGone(announce);
  if (object instanceof Update || object instanceof Delete) return onAnnouncedChange(ctx, object);
  if (!(object instanceof Article || object instanceof Note) || !object.id) return;
  const author = await object.getAttribution();
  const record = author ? await fromApActorWithIcon(author) : null;
  if (record) await interactions.receiveRemotePost(await readRemotePost(ctx, object, announce.actorId), record);
}

/**
 * A group we follow shares a member's edit or deletion of a post it shared
 * (FEP-1b12). The activity was fetched from its id, so it is applied only if
 * that id is on its actor's own server, and only to a post of that actor's.
 */
async function onAnnouncedChange(ctx: InboxContext<ContextData>, change: Update | Delete): Promise<void> {
  const actorUri = change.actorId;
  if (!change.id || !actorUri || !sameOrigin(change.id, actorUri) || !sameOrigin(change.objectId, actorUri)) return;
  const { interactions } = ctx.data.services;
  if (change instanceof Delete) {
    await interactions.receiveRemotePostDelete(change.objectId!.href, actorUri.href);
    return;
  }
  const object = await objectOrGone(change);
  if (!(object instanceof Article || object instanceof Note) || !object.id) return;
  if (!(await interactions.holdsRemotePost(object.id.href, actorUri.href))) return;
  await interactions.receiveRemotePostUpdate(await readRemotePost(ctx, object, null), actorUri.href);
}
