import { onMembershipAnswer } from "./memberships.ts";
import { Follow, type Accept, type Reject } from "@fedify/vocab";
import type { InboxContext } from "@fedify/fedify";
import type { ContextData } from "../context.ts";
import { localActorHandle, localPostId, logFields, logger } from "./common.ts";

/** A remote actor answered one of our Follows. */
async function onFollowAnswered(ctx: InboxContext<ContextData>, answer: Accept | Reject, accepted: boolean): Promise<void> {
  if (!answer.actorId) return;
  // Mastodon embeds our Follow; its actor tells which local actor asked.
  const follow = await answer.getObject({ crossOrigin: "trust" }).catch((error) => {
    logger.info("Ignored {type} {id}: could not read the Follow it answers: {error}", { ...logFields(answer), error });
    return null;
  });
  const follower = follow instanceof Follow ? localActorHandle(ctx, follow.actorId) : null;
  if (!follower || (follow instanceof Follow && follow.objectId?.href !== answer.actorId.href)) return;
  const local = await ctx.data.services.actors.find(follower);
  if (!local) {
    return logger.info("Ignored {type} {id}: it answers a Follow by @{follower}, who is not here", { ...logFields(answer), follower });
  }
  const { follows } = ctx.data.services;
  const changed = accepted
    ? await follows.receiveAccept(local.id, answer.actorId.href)
    : await follows.receiveReject(local.id, answer.actorId.href);
  if (!changed) logger.info("An answer to a Follow we do not know: {id}", { id: answer.id?.href });
}

/**
 * The server of a post one of our notes replied to approved the reply (its
 * `result` is the authorization to show) or refused it, as GoToSocial's
 * interaction controls do. Whether the answer was about one of our notes.
 */
async function onReplyAnswered(ctx: InboxContext<ContextData>, answer: Accept | Reject, accepted: boolean): Promise<boolean> {
  const noteId = localPostId(ctx, answer.objectId);
  if (!noteId || !answer.actorId) return false;
  const authorization = accepted ? answer.resultId : null;
  if (accepted && !authorization) {
    logger.info("Ignored {type} {id}: it approves a reply of ours without an authorization", logFields(answer));
    return true;
  }
  const changed = await ctx.data.services.replies.receiveAnswer(
    noteId,
    answer.actorId.href,
    authorization ? { authorization: authorization.href } : { refused: true },
  );
  logger.info("{type} {id} of our note {note}: {changed}", {
    ...logFields(answer),
    note: noteId,
    changed: changed ? "recorded" : "ignored",
  });
  return true;
}

/** An answer to one of our replies, to one of our membership activities (an Invite, a Join), or else to a Follow. */
async function onAnswered(ctx: InboxContext<ContextData>, answer: Accept | Reject, accepted: boolean): Promise<void> {
  if (await onReplyAnswered(ctx, answer, accepted)) return;
  if (await onMembershipAnswer(ctx, answer, accepted)) return;
  await onFollowAnswered(ctx, answer, accepted);
}

export const onAccepted = (ctx: InboxContext<ContextData>, accept: Accept) => onAnswered(ctx, accept, true);
export const onRejected = (ctx: InboxContext<ContextData>, reject: Reject) => onAnswered(ctx, reject, false);
