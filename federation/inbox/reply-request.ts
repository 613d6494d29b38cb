import type { InboxContext } from "@fedify/fedify";
import { Article, Note, type ReplyRequest } from "@fedify/vocab";
import type { ContextData } from "../context.ts";
import { incomingReply } from "./create.ts";
import { activityActor, localPostId, logFields, logger, sameOrigin } from "./common.ts";

/**
 * Someone asks first before replying to one of our posts (GoToSocial's
 * `ReplyRequest`): its `object` is our post, its `instrument` the reply. The
 * reply goes the way an unasked one would (shown, held or refused under the
 * community's policy), and the request is answered either way: at once when
 * the reply is shown or refused, when a moderator decides when it is held.
 */
export async function onReplyRequested(ctx: InboxContext<ContextData>, request: ReplyRequest): Promise<void> {
  if (!request.id || !request.actorId) return;
  const postId = localPostId(ctx, request.objectId);
  if (!postId) return logger.info("Ignored {type} {id}: it asks to reply to something not ours", logFields(request));
  const reply = await request.getInstrument({ crossOrigin: "trust" });
  if (!(reply instanceof Note || reply instanceof Article) || !reply.id) {
    return logger.info("Ignored {type} {id}: its instrument is not a reply", logFields(request));
  }
  const byActor = sameOrigin(reply.id, request.actorId) && (!reply.attributionId || reply.attributionId.href === request.actorId.href);
  if (!byActor || reply.replyTargetId?.href !== request.objectId?.href) {
    return logger.info("Ignored {type} {id}: its reply is not the actor's own, or answers another post", logFields(request));
  }
  const author = await activityActor(ctx, request);
  if (!author) return;
  const received = await ctx.data.services.replies.receive(incomingReply(ctx, reply, author, request.id.href));
  logger.info("A reply request by {author} for {post}: {outcome}", { author: author.uri, post: postId, outcome: received?.outcome });
}
