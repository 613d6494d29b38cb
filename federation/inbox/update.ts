import { Article, Note, Relationship, type Update } from "@fedify/vocab";
import type { InboxContext } from "@fedify/fedify";
import type { ContextData } from "../context.ts";
import { fromApActorWithIcon } from "../vocab/actor.ts";
import { logFields, logger, objectOrGone, sameOrigin, toDate } from "./common.ts";
import { onMembershipChanged } from "./memberships.ts";
import { receiveOutcome } from "./outcome.ts";
import { readRemotePost } from "./remote-post.ts";

/**
 * A reply or a followed post was edited by its author, a remote actor changed
 * their profile, or a community elsewhere changed a member's role.
 */
export async function onUpdated(ctx: InboxContext<ContextData>, update: Update): Promise<void> {
  const object = await objectOrGone(update);
  const actorUri = update.actorId;
  if (!object?.id || !actorUri || !sameOrigin(object.id, actorUri)) {
    return logger.info("Ignored an Update of an object from another host: {id}", { id: object?.id?.href });
  }
  const { interactions, remoteActors, communityMembers } = ctx.data.services;
  if (object instanceof Relationship) {
    await onMembershipChanged(ctx, update, "role");
    return;
  }
  if (object instanceof Note || object instanceof Article) {
    const updatedAt = toDate(object.updated) ?? new Date();
    if (await interactions.receiveReplyUpdate(object.id.href, actorUri.href, object.content?.toString() ?? "", updatedAt)) {
      // An answer whose outcome changed says so in the document it links.
      if (object instanceof Note) await receiveOutcome(ctx, object, actorUri);
      return;
    }
    if (!(await interactions.holdsRemotePost(object.id.href, actorUri.href))) return;
    const applied = await interactions.receiveRemotePostUpdate(await readRemotePost(ctx, object, null), actorUri.href);
    // A member's post in a community here: the community shares the change too.
    if (applied && update.id) await communityMembers.shareChange(object.id.href, actorUri.href, update.id.href, "update");
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
