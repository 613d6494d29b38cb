import type { FederationBuilder } from "@fedify/fedify";
import {
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

/**
 * Every inbox listener, in one chain. Fedify has already checked each
 * activity's signature and that the signing key belongs to its actor.
 */
export function registerInbox(builder: FederationBuilder<ContextData>): void {
  builder
    .setInboxListeners(actorCollectionPath("{identifier}", "inbox"), SHARED_INBOX_PATH)
    .setSharedKeyDispatcher(() => ({ identifier: "instance" }))
    .on(Follow, onFollowed)
    .on(Undo, onUndone)
    .on(Accept, onAccepted)
    .on(Reject, onRejected)
    .on(Invite, onInvited)
    .on(Join, onJoined)
    .on(Leave, onLeft)
    .on(Add, onMemberAdded)
    .on(Remove, onMemberRemoved)
    .on(Create, onCreated)
    .on(ReplyRequest, onReplyRequested)
    .on(Update, onUpdated)
    .on(Delete, onDeleted)
    .on(Like, onLiked)
    .on(Announce, onAnnounced)
    .on(Flag, onFlagged);
}
