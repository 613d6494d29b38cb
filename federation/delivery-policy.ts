import type { Context } from "@fedify/fedify";
import type { Activity, Recipient } from "@fedify/vocab";
import type { ContextData } from "./context.ts";
import { deliveryInbox } from "./vocab/recipient.ts";

/** How a send goes: to shared inboxes where there are some, and whether a blocked actor is still told (of a Reject). */
export interface SendOptions {
  preferSharedInbox?: boolean;
  blockedActors?: "skip" | "send";
}

/**
 * Sends an activity from a local actor, as Fedify does, to those recipients
 * the instance delivers to: nothing goes to a blocked domain (by the actor's
 * address or its inbox's), nor to an actor blocked on its own unless asked.
 * Every activity leaves through here. One question for all the recipients;
 * returns those it went to.
 */
export async function sendTo(
  ctx: Context<ContextData>,
  sender: string,
  recipients: Recipient | Recipient[],
  activity: Activity,
  options: SendOptions = {},
): Promise<Recipient[]> {
  const targets = (Array.isArray(recipients) ? recipients : [recipients]).flatMap((recipient) => {
    const inbox = options.preferSharedInbox ? deliveryInbox(recipient) : (recipient.inboxId?.href ?? null);
    return inbox !== null ? [{ recipient, actor: recipient.id?.href ?? inbox, inbox }] : [];
  });
  const refused = await ctx.data.services.federationPolicy.undeliverable(targets, { blockedActors: options.blockedActors });
  const allowed = targets.filter((target) => !refused.has(target)).map((target) => target.recipient);
  if (allowed.length === 0) return [];
  await ctx.sendActivity({ identifier: sender }, allowed, activity, options.preferSharedInbox ? { preferSharedInbox: true } : {});
  return allowed;
}
