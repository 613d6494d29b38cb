import { onMembershipAnswer } from "./memberships.ts";
import { Follow, type Accept, type Reject } from "@fedify/vocab";
import type { InboxContext } from "@fedify/fedify";
import type { ContextData } from "../context.ts";
import { localActorHandle, logFields, logger } from "./common.ts";

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

/** An answer to one of our membership activities (an Invite, a Join), or else to a Follow. */
async function onAnswered(ctx: InboxContext<ContextData>, answer: Accept | Reject, accepted: boolean): Promise<void> {
  if (await onMembershipAnswer(ctx, answer, accepted)) return;
  await onFollowAnswered(ctx, answer, accepted);
}

export const onAccepted = (ctx: InboxContext<ContextData>, accept: Accept) => onAnswered(ctx, accept, true);
export const onRejected = (ctx: InboxContext<ContextData>, reject: Reject) => onAnswered(ctx, reject, false);
