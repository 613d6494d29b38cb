import { Announce, Follow, Like, PUBLIC_COLLECTION, Undo } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { DomainEvent } from "../../src/domain/events.ts";
import type { FedCtx } from "../context.ts";
import { sendTo } from "../delivery-policy.ts";
import { toRecipient } from "../vocab/recipient.ts";
import { activityUri, rememberActivity } from "../vocab/urls.ts";
import { authorOf, sendToAudience } from "./recipients.ts";

const logger = getLogger(["connexo", "outbox"]);

type EventOf<T extends DomainEvent["type"]> = Extract<DomainEvent, { type: T }>;

/**
 * A like or boost taken back: an `Undo` naming the very activity that was
 * sent (its id is derived from the reaction's, as when it was sent), to
 * everyone who got it.
 */
export async function sendReactionUndo(ctx: FedCtx, event: EventOf<"reaction.undone">): Promise<void> {
  const actor = await ctx.data.services.actors.findById(event.actorId);
  if (!actor) return logger.warn("The undone {kind} {id} is not sent: its actor is gone", { kind: event.kind, id: event.reactionId });
  const actorUri = ctx.getActorUri(actor.handle);
  const object = new URL(event.objectUri);
  const id = activityUri(ctx, `${event.kind}-${event.reactionId}`);
  const author = await authorOf(ctx, event.objectUri).catch((error) => {
    logger.warn("Could not find the author of {uri}, so the Undo does not go to them: {error}", { uri: event.objectUri, error });
    return null;
  });
  const undone = event.kind === "like" ? new Like({ id, actor: actorUri, object }) : new Announce({ id, actor: actorUri, object });
  const undo = new Undo({
    id: activityUri(ctx, `undo-${event.kind}-${event.reactionId}`),
    actor: actorUri,
    object: undone,
    ...(event.kind === "like"
      ? { to: author?.id ?? null }
      : { to: PUBLIC_COLLECTION, ccs: [ctx.getFollowersUri(actor.handle), ...(author?.id ? [author.id] : [])] }),
  });
  await rememberActivity(ctx, undo);
  await sendToAudience(ctx, actor, undo, {
    followersOf: event.kind === "announce" ? [actor] : [],
    also: author ? [author] : [],
  });
}

/** A follow stopped: an `Undo` of the `Follow` (by the id it was sent with) to the account that was followed. */
export async function sendUnfollow(ctx: FedCtx, event: EventOf<"follow.undone">): Promise<void> {
  const { actors, remoteActors } = ctx.data.services;
  const [local, remote] = await Promise.all([actors.findById(event.actorId), remoteActors.known(event.remoteActorUri)]);
  if (!local || !remote) return logger.warn("The unfollow {id} is not sent: an actor is gone", { id: event.followingId });
  const actorUri = ctx.getActorUri(local.handle);
  const target = new URL(event.remoteActorUri);
  const undo = new Undo({
    id: activityUri(ctx, `undo-follow-${event.followingId}`),
    actor: actorUri,
    object: new Follow({ id: activityUri(ctx, `follow-${event.followingId}`), actor: actorUri, object: target }),
    to: target,
  });
  await rememberActivity(ctx, undo);
  await sendTo(ctx, local.handle, toRecipient(remote), undo);
}
