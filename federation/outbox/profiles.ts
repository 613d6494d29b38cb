import { PUBLIC_COLLECTION, Update } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { getLogger } from "@logtape/logtape";
import type { DomainEvent } from "../../src/domain/events.ts";
import type { FedCtx } from "../context.ts";
import { toApActor } from "../vocab/actor.ts";
import { activityUri, rememberActivity } from "../vocab/urls.ts";
import { sendToAudience } from "./recipients.ts";

const logger = getLogger(["connexo", "outbox", "profiles"]);

/**
 * A person or community here changed their profile: their followers get an
 * `Update` of the actor as it is now (name, bio, icon, profile fields), as
 * Mastodon expects, so their avatar and bio change there too. The id names
 * the change, so a replayed event sends the same activity.
 */
export async function sendProfileUpdate(ctx: FedCtx, event: Extract<DomainEvent, { type: "actor.updated" }>): Promise<void> {
  const actor = await ctx.data.services.actors.findById(event.actorId);
  if (!actor || actor.deactivatedAt) return logger.debug("No profile Update for actor {id}: it is gone", { id: event.actorId });
  const object = await toApActor(ctx, actor);
  const update = new Update({
    id: activityUri(ctx, `update-profile-${actor.handle}-${event.at}`),
    actor: object.id,
    object,
    published: Temporal.Instant.fromEpochMilliseconds(event.at),
    to: PUBLIC_COLLECTION,
    ccs: [ctx.getFollowersUri(actor.handle)],
  });
  await rememberActivity(ctx, update);
  await sendToAudience(ctx, actor, update, { followersOf: [actor] });
}
