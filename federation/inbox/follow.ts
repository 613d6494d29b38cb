import { createHash } from "node:crypto";
import { Accept, Follow, Reject } from "@fedify/vocab";
import type { InboxContext } from "@fedify/fedify";
import type { ContextData } from "../context.ts";
import { sendTo } from "../delivery-policy.ts";
import { activityUri, rememberActivity } from "../vocab/urls.ts";
import { activityActor, localActorHandle } from "./common.ts";

/** Someone asks to follow a local person or community: record it and answer Accept (or Reject if blocked). */
export async function onFollowed(ctx: InboxContext<ContextData>, follow: Follow): Promise<void> {
  const handle = localActorHandle(ctx, follow.objectId);
  if (!handle || !follow.id || !follow.actorId) return;
  const follower = await activityActor(ctx, follow);
  if (!follower) return;
  const outcome = await ctx.data.services.follows.receiveFollow(handle, follower, follow.id.href);
  if (outcome === "unknown") return;
  const Answer = outcome === "accepted" ? Accept : Reject;
  const answer = new Answer({
    id: activityUri(ctx, `${outcome === "accepted" ? "accept" : "reject"}-${digest(follow.id.href)}`),
    actor: ctx.getActorUri(handle),
    // The Follow as its sender names it, by its id, actor and object, as Mastodon answers: the activity as
    // received now holds the follower's whole document, fetched above, and would carry it along.
    object: new Follow({ id: follow.id, actor: follow.actorId, object: follow.objectId }),
    to: follow.actorId,
  });
  const compacted = await rememberActivity(ctx, answer);
  // A blocked actor is still told that its Follow is rejected; a blocked domain is told nothing. The answer is for the follower alone.
  await sendTo(ctx, handle, { id: follow.actorId, inboxId: new URL(follower.inbox) }, answer, {
    blockedActors: "send",
    answer: true,
    compacted,
  });
}

/** Hashed here and now: WebCrypto would hand so small a job to another thread and back. */
function digest(text: string): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, 22);
}
