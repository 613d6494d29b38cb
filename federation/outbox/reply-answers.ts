import { Accept, PUBLIC_COLLECTION, Reject, ReplyAuthorization, ReplyRequest } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { DomainEvent } from "../../src/domain/events.ts";
import type { FedCtx } from "../context.ts";
import { sendTo } from "../delivery-policy.ts";
import { postAuthors } from "../vocab/load.ts";
import { postUri } from "../vocab/post.ts";
import { toRecipient } from "../vocab/recipient.ts";
import { activityUri } from "../vocab/urls.ts";

const logger = getLogger(["connexo", "outbox", "replies"]);

/**
 * Tells the author of a reply from elsewhere that it was approved or
 * refused, as GoToSocial's interaction controls say: an `Accept` or `Reject`
 * from the author of the post it answers. A reply that asked first is
 * answered by naming its `ReplyRequest`; one that did not, by naming the
 * reply itself with the post as `target`. An approval's `result` is the
 * `ReplyAuthorization` the author can show to anyone.
 */
export async function sendReplyAnswer(ctx: FedCtx, event: Extract<DomainEvent, { type: "reply.answered" }>): Promise<void> {
  const { services } = ctx.data;
  const [post, author] = await Promise.all([services.deliveries.postOfEvent(event.postId), services.remoteActors.known(event.authorUri)]);
  if (!post) return logger.warn("No answer sent to the reply {reply}: its post {id} is gone", { reply: event.replyUri, id: event.postId });
  if (!author)
    return logger.warn("No answer sent to the reply {reply}: its author {uri} is not known here", {
      reply: event.replyUri,
      uri: event.authorUri,
    });
  const authors = await postAuthors(ctx, post);
  const sender = authors.author.handle;
  const target = postUri(ctx, post);
  const replier = new URL(author.uri);
  const object = event.requestUri
    ? new ReplyRequest({ id: new URL(event.requestUri), actor: replier, object: target, instrument: new URL(event.replyUri) })
    : new URL(event.replyUri);
  const values = {
    id: activityUri(ctx, `reply-${event.authorizationId ? "accept" : "reject"}-${event.answerId}`),
    actor: ctx.getActorUri(sender),
    to: replier,
    ccs: [PUBLIC_COLLECTION, ctx.getFollowersUri(sender)],
    object,
    target: event.requestUri ? null : target,
  };
  const answer = event.authorizationId
    ? new Accept({ ...values, result: ctx.getObjectUri(ReplyAuthorization, { id: event.authorizationId }) })
    : new Reject(values);
  // A refusal reaches even an account blocked here on its own (an approval does not); a blocked domain hears nothing.
  await sendTo(ctx, sender, toRecipient(author), answer, { blockedActors: event.authorizationId ? "skip" : "send" });
}
