import type { FederationBuilder, InboxContext } from "@fedify/fedify";
import {
  type Activity,
  Accept,
  Add,
  Announce,
  Create,
  Delete,
  Flag,
  Follow,
  Invite,
  Join,
  Leave,
  Like,
  Reject,
  Remove,
  ReplyRequest,
  Undo,
  Update,
} from "@fedify/vocab";
import { actorCollectionPath, SHARED_INBOX_PATH } from "../../src/domain/urls.ts";
import type { ContextData } from "../context.ts";
import { logFields, logger } from "./common.ts";
import { onAccepted, onRejected } from "./answers.ts";
import { onInvited, onJoined, onLeft, onMemberAdded, onMemberRemoved } from "./memberships.ts";
import { onCreated } from "./create.ts";
import { onDeleted } from "./delete.ts";
import { onFlagged } from "./flag.ts";
import { onFollowed } from "./follow.ts";
import { onReplyRequested } from "./reply-request.ts";
import { onAnnounced, onLiked } from "./reactions.ts";
import { onUndone } from "./undo.ts";
import { onUpdated } from "./update.ts";
import { carriedSigner } from "./signer.ts";

/**
 * Every inbox listener, in one chain. Each activity's signature has been
 * checked, and that the signing key belongs to its actor: by Fedify for what
 * it verified itself (an activity signed by someone else than its actor), and
 * for the rest, whose signature the screen verified, by `signedByActor`
 * below, on the activity as Fedify read it.
 */
export function registerInbox(builder: FederationBuilder<ContextData>): void {
  builder
    .setInboxListeners(actorCollectionPath("{identifier}", "inbox"), SHARED_INBOX_PATH)
    .setSharedKeyDispatcher(() => ({ identifier: "instance" }))
    .on(Follow, signedByActor(onFollowed))
    .on(Undo, signedByActor(onUndone))
    .on(Accept, signedByActor(onAccepted))
    .on(Reject, signedByActor(onRejected))
    .on(Invite, signedByActor(onInvited))
    .on(Join, signedByActor(onJoined))
    .on(Leave, signedByActor(onLeft))
    .on(Add, signedByActor(onMemberAdded))
    .on(Remove, signedByActor(onMemberRemoved))
    .on(Create, signedByActor(onCreated))
    .on(ReplyRequest, signedByActor(onReplyRequested))
    .on(Update, signedByActor(onUpdated))
    .on(Delete, signedByActor(onDeleted))
    .on(Like, signedByActor(onLiked))
    .on(Announce, signedByActor(onAnnounced))
    .on(Flag, signedByActor(onFlagged));
}

type Listener<T extends Activity> = (ctx: InboxContext<ContextData>, activity: T) => Promise<void>;

/**
 * For an activity whose signature the screen verified, finding its key's
 * owner (`ctx.data.signedBy` while its sender waits, `carriedSigner()` once
 * the worker takes it from the queue), Fedify, told to skip its own check,
 * has not compared that owner with the actor. The JSON the middleware looked
 * at may name an actor other than the one Fedify reads from it (a context can
 * redefine `actor`), so the comparison is made here, on the activity as
 * parsed: any other actor, or several, and it is dropped.
 */
function signedByActor<T extends Activity>(listener: Listener<T>): Listener<T> {
  return async (ctx, activity) => {
    const signer = ctx.data.signedBy ?? carriedSigner();
    if (signer !== undefined && (activity.actorIds.length !== 1 || activity.actorId?.href !== signer)) {
      logger.warn("Dropped {type} {id}: signed by {signer}, not by its actor {actor}", { ...logFields(activity), signer });
      return;
    }
    await listener(ctx, activity);
  };
}
