import type { FederationBuilder } from "@fedify/fedify";
import { Accept, Announce, Create, Delete, Follow, Like, Reject, Undo, Update } from "@fedify/vocab";
import { actorCollectionPath, SHARED_INBOX_PATH } from "../../src/domain/urls.ts";
import type { ContextData } from "../context.ts";
import { onFollowAccepted, onFollowRejected } from "./answers.ts";
import { onCreated } from "./create.ts";
import { onDeleted } from "./delete.ts";
import { onFollowed } from "./follow.ts";
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
    .on(Accept, onFollowAccepted)
    .on(Reject, onFollowRejected)
    .on(Create, onCreated)
    .on(Update, onUpdated)
    .on(Delete, onDeleted)
    .on(Like, onLiked)
    .on(Announce, onAnnounced);
}
