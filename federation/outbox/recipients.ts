import { resolveHandle } from "../http/webfinger.ts";
import type { Activity, Recipient } from "@fedify/vocab";
import type { Actor, FollowerRecipient } from "../../src/domain/types.ts";
import type { FedCtx } from "../context.ts";
import { sendTo } from "../delivery-policy.ts";
import { deliveryInbox, toRecipient } from "../vocab/recipient.ts";

/** Who receives an activity: the followers of these local actors, and anyone named besides (a reply's or a like's author). */
export interface Audience {
  followersOf: Actor[];
  also?: Recipient[];
}

/**
 * Sends an activity from a local actor to an audience. Followers are read a
 * page at a time (the page size is the delivery service's), and each page is
 * handed to Fedify, which queues one delivery per inbox, shared inboxes
 * preferred; so no fan-out holds more than a page of followers, however many
 * there are. An inbox that the activity already went to with an earlier page
 * is left out of later ones (only the inboxes are remembered, one per server
 * that has a shared inbox): each inbox gets the activity once, as if it had
 * gone out in one piece. Recipients on a blocked domain, or blocked
 * themselves, are left out. If sending fails half-way, the event is handled
 * again from the start; the activity keeps its id, so receivers take it once.
 * Returns how many inboxes it went to.
 */
export async function sendToAudience(ctx: FedCtx, sender: Actor, activity: Activity, audience: Audience): Promise<number> {
  const sentTo = new Set<string>();
  const send = async (recipients: Recipient[]) => {
    const unsent = recipients.filter((recipient) => {
      const inbox = deliveryInbox(recipient);
      return inbox !== null && !sentTo.has(inbox);
    });
    if (unsent.length === 0) return;
    // Nothing goes to a blocked domain, or to an actor blocked on its own: one question for the page.
    const sent = await sendTo(ctx, sender.handle, unsent, activity, { preferSharedInbox: true });
    for (const recipient of sent) sentTo.add(deliveryInbox(recipient)!);
  };
  await send(audience.also ?? []);
  for (const actor of audience.followersOf) {
    for await (const page of followerPages(ctx, actor)) {
      // Most followers of a large fan-out share a server whose inbox the activity already went to: those are
      // left out by their stored inbox before any is made a recipient (and its addresses parsed).
      await send(page.filter((follower) => !sentTo.has(follower.sharedInbox ?? follower.inbox)).map(toRecipient));
      // The deliveries queued so far start while the next page is read: their worker runs on this thread too.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return sentTo.size;
}

/** A local actor's followers, one page after another. */
async function* followerPages(ctx: FedCtx, actor: Actor): AsyncGenerator<FollowerRecipient[]> {
  let cursor: string | null = null;
  do {
    const page = await ctx.data.services.deliveries.followerPage(actor.id, cursor);
    if (page.items.length > 0) yield page.items;
    cursor = page.items.length > 0 ? page.next : null;
  } while (cursor !== null);
}

/**
 * The author of a remote object, as a recipient: whom a reply or a like is
 * for. A local object's author needs no delivery (the reply or like is already
 * here); sending would bring it back through our own inbox as if from
 * elsewhere. Throws, saying why, when the author of a remote object cannot be
 * found or has no inbox.
 */
export async function authorOf(ctx: FedCtx, objectUri: string): Promise<Recipient | null> {
  if (new URL(objectUri).origin === new URL(ctx.canonicalOrigin).origin) return null;
  const documentLoader = await ctx.getDocumentLoader({ identifier: "instance" });
  const object = await ctx.lookupObject(objectUri, { documentLoader });
  if (!object) throw new Error("the object could not be fetched");
  if (!("getAttribution" in object) || typeof object.getAttribution !== "function") {
    throw new Error(`the object is a ${object.constructor.name}, which names no author`);
  }
  const author = await object.getAttribution({ documentLoader });
  if (!author?.id) throw new Error("the object names no author, or the author could not be fetched");
  if (!author.inboxId) throw new Error(`the author ${author.id.href} has no inbox`);
  return { id: author.id, inboxId: author.inboxId, endpoints: author.endpoints };
}

/** What an account typed as @user@host (found with WebFinger) or as its URL is, fetched and signed as the instance. */
export async function lookupAccount(ctx: FedCtx, account: string) {
  const url = /^https?:\/\//.test(account) ? new URL(account) : await resolveHandle(account, ctx.data.fetchPolicy);
  return ctx.lookupObject(url, { documentLoader: await ctx.getDocumentLoader({ identifier: "instance" }) });
}
