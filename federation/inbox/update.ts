import { Article, Note, type Update } from "@fedify/vocab";
import type { InboxContext } from "@fedify/fedify";
import type { ContextData } from "../context.ts";
import { fromApActorWithIcon } from "../vocab/actor.ts";
import { logFields, logger, objectOrGone, sameOrigin, toDate } from "./common.ts";
import { readRemotePost } from "./remote-post.ts";

/** A reply or a followed post was edited by its author, or a remote actor changed their profile. */
export async function onUpdated(ctx: InboxContext<ContextData>, update: Update): Promise<void> {
  const object = await objectOrGone(update);
  const actorUri = update.actorId;
  if (!object?.id || !actorUri || !sameOrigin(object.id, actorUri)) {
    return logger.info("Ignored an Update of an object from another host: {id}", { id: object?.id?.href });
  }
  const { interactions, remoteActors } = ctx.data.services;
  if (object instanceof Note || object instanceof Article) {
    const updatedAt = toDate(object.updated) ?? new Date();
    if (await interactions.receiveReplyUpdate(object.id.href, actorUri.href, object.content?.toString() ?? "", updatedAt)) return;
    if (!(await interactions.holdsRemotePost(object.id.href, actorUri.href))) return;
    await interactions.receiveRemotePostUpdate(await readRemotePost(ctx, object, null), actorUri.href);
    return;
  }
  // A profile update: refresh what we keep of an actor we already know.
  if (object.id.href === actorUri.href && (await remoteActors.known(actorUri.href))) {
    const actor = await update.getActor();
    const record = actor ? await fromApActorWithIcon(actor) : null;
    if (record) await remoteActors.refreshProfile(record);
    else logger.info("Ignored {type} {id}: the updated actor is not one we can keep", logFields(update));
  }
}
