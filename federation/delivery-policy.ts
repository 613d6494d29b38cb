import type { Context } from "@fedify/fedify";
import type { Activity, Recipient } from "@fedify/vocab";
import type { ContextData } from "./context.ts";
import { deliveryInbox } from "./vocab/recipient.ts";

/** How a send goes: to shared inboxes where there are some, and whether a blocked actor is still told (of a Reject). */
export interface SendOptions {
  preferSharedInbox?: boolean;
  blockedActors?: "skip" | "send";
  /**
   * An answer meant for one actor alone (an Accept or Reject of a Follow):
   * never passed on, so it goes with the HTTP signature only, without the
   * Object Integrity Proof and Linked Data signature that let third parties
   * check an activity passed on to them. Those are most of what answering a
   * follow costs: compacting an Accept with a proof takes 7.5 ms instead of
   * 0.6, and the Linked Data signature canonicalises the whole document.
   */
  answer?: boolean;
  /** For an answer: the activity as already compacted (by `rememberActivity`), so that it is not compacted a second time. */
  compacted?: unknown;
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
  if (options.answer) {
    await queueAnswer(ctx, sender, allowed, activity, options.compacted);
    return allowed;
  }
  // Fedify queues one delivery per inbox here and now. Its default, for more than a few inboxes, is to queue a
  // fan-out message that a worker then reads back, parses and signs again; every large send already runs in a
  // worker (an event's handler), so that round trip only delayed the first delivery.
  await ctx.sendActivity({ identifier: sender }, allowed, activity, {
    fanout: "skip",
    ...(options.preferSharedInbox ? { preferSharedInbox: true } : {}),
  });
  return allowed;
}

/** An answer, compacted here and queued with the actor's RSA key for the HTTP signature; Fedify signs nothing of it. */
async function queueAnswer(
  ctx: Context<ContextData>,
  sender: string,
  recipients: Recipient[],
  activity: Activity,
  compacted: unknown,
): Promise<void> {
  const key = (await ctx.getActorKeyPairs(sender)).find((pair) => pair.privateKey.algorithm.name === "RSASSA-PKCS1-v1_5");
  if (!key || !activity.id) throw new Error(`${sender} has no RSA key to sign with, or the answer has no id`);
  const json = compacted ?? (await activity.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader }));
  const type = (activity.constructor as typeof Activity).typeId.href;
  const inboxes = recipients.flatMap((recipient) =>
    recipient.inboxId ? [{ inbox: recipient.inboxId.href, actorId: (recipient.id ?? recipient.inboxId).href }] : [],
  );
  await ctx.data.delivery.queue(
    { json, id: activity.id.href, type, baseUrl: ctx.origin },
    { keyId: key.keyId.href, privateKey: key.privateKey },
    inboxes,
  );
}
