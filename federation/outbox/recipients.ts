import type { Recipient } from "@fedify/vocab";
import type { Actor, FollowerRecipient } from "../../src/domain/types.ts";
import type { FedCtx } from "../context.ts";

const ALL = 1_000_000;

/** A follower as Fedify delivers to it. */
export function toRecipient(follower: FollowerRecipient): Recipient {
  return {
    id: new URL(follower.uri),
    inboxId: new URL(follower.inbox),
    endpoints: follower.sharedInbox ? { sharedInbox: new URL(follower.sharedInbox) } : null,
  };
}

/** The followers of local actors, as delivery recipients. */
export async function followersOf(ctx: FedCtx, actors: Actor[]): Promise<Recipient[]> {
  const recipients: Recipient[] = [];
  for (const actor of actors) {
    const page = await ctx.data.services.store.follows.followers(actor.id, null, ALL);
    for (const f of page.items) {
      recipients.push(toRecipient(f));
    }
  }
  return recipients;
}

/**
 * The author of a remote object, as a recipient: whom a reply or a like is
 * for. A local object's author needs no delivery (the reply or like is already
 * here); sending would bring it back through our own inbox as if from elsewhere.
 */
export async function authorOf(ctx: FedCtx, objectUri: string): Promise<Recipient | null> {
  if (new URL(objectUri).origin === new URL(ctx.canonicalOrigin).origin) return null;
  const documentLoader = await ctx.getDocumentLoader({ identifier: "instance" });
  const object = await ctx.lookupObject(objectUri, { documentLoader });
  if (!object || !("getAttribution" in object) || typeof object.getAttribution !== "function") return null;
  const author = await object.getAttribution({ documentLoader });
  if (!author?.id || !author.inboxId) return null;
  return { id: author.id, inboxId: author.inboxId, endpoints: author.endpoints };
}
