import type { Delete } from "@fedify/vocab";
import type { InboxContext } from "@fedify/fedify";
import type { ContextData } from "../context.ts";
import { logger, sameOrigin } from "./common.ts";

/** An actor deleted itself, one of its replies, or one of its posts we keep. */
export async function onDeleted(ctx: InboxContext<ContextData>, del: Delete): Promise<void> {
  const objectId = del.objectId;
  const actorUri = del.actorId;
  if (!objectId || !actorUri || !sameOrigin(objectId, actorUri)) {
    return logger.info("Ignored a Delete of an object from another host: {id}", { id: objectId?.href });
  }
  const { follows, interactions } = ctx.data.services;
  if (objectId.href === actorUri.href) {
    await follows.removeRemoteActor(actorUri.href);
    return;
  }
  if (await interactions.receiveReplyDelete(objectId.href, actorUri.href)) return;
  // Shared before it is marked deleted: sharing checks that the post is the actor's.
  if (del.id) await ctx.data.services.communityMembers.shareChange(objectId.href, actorUri.href, del.id.href, "delete");
  await interactions.receiveRemotePostDelete(objectId.href, actorUri.href);
}
