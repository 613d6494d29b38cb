import type { Recipient } from "@fedify/vocab";
import type { FollowerRecipient } from "../../src/domain/types.ts";

/** A follower as Fedify delivers to it (and as a followers collection lists it). */
export function toRecipient(follower: FollowerRecipient): Recipient {
  return {
    id: new URL(follower.uri),
    inboxId: new URL(follower.inbox),
    endpoints: follower.sharedInbox ? { sharedInbox: new URL(follower.sharedInbox) } : null,
  };
}

/** The inbox Fedify delivers to for a recipient when shared inboxes are preferred, as it picks it. */
export function deliveryInbox(recipient: Recipient): string | null {
  return (recipient.endpoints?.sharedInbox ?? recipient.inboxId)?.href ?? null;
}
