import { Announce, Follow, Like, type Undo } from "@fedify/vocab";
import type { InboxContext } from "@fedify/fedify";
import type { ContextData } from "../context.ts";
import { localActorHandle, localPostId, logFields, logger } from "./common.ts";

/** Someone takes back a Follow, a Like or a boost; only their own. */
export async function onUndone(ctx: InboxContext<ContextData>, undo: Undo): Promise<void> {
  const actorUri = undo.actorId;
  if (!actorUri) return;
  const object = await undo.getObject({ crossOrigin: "trust" }).catch((error) => {
    logger.info("Ignored {type} {id}: could not read what it undoes: {error}", { ...logFields(undo), error });
    return null;
  });
  // Mastodon embeds what it undoes; the embedded actor must be the one undoing it.
  if (!(object instanceof Follow || object instanceof Like || object instanceof Announce)) return;
  if (object.actorId?.href !== actorUri.href) return;
  const { follows, interactions } = ctx.data.services;
  if (object instanceof Follow) {
    const handle = localActorHandle(ctx, object.objectId);
    if (handle) await follows.receiveUnfollow(handle, actorUri.href);
  } else {
    const kind = object instanceof Like ? "like" : "announce";
    const postId = localPostId(ctx, object.objectId);
    await interactions.receiveUndoReaction(kind, actorUri.href, { activityUri: object.id?.href, postId: postId ?? undefined });
    // A boost of someone else's post kept it in the network view; taken back, it goes.
    if (kind === "announce" && !postId && object.objectId) await interactions.receiveUndoBoost(actorUri.href, object.objectId.href);
  }
}
