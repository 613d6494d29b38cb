import { createHash } from "node:crypto";
import { FetchError } from "@fedify/fedify";
import { Announce, Group } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { getLogger } from "@logtape/logtape";
import type { DomainEvent } from "../../src/domain/events.ts";
import { referralHandle } from "../../src/domain/outcomes.ts";
import { escapeHtml } from "../../src/domain/sanitize.ts";
import type { FedCtx } from "../context.ts";
import { sendTo } from "../delivery-policy.ts";
import { fromApActorWithIcon } from "../vocab/actor.ts";
import { decisionUrl } from "../vocab/decision.ts";
import { toRecipient } from "../vocab/recipient.ts";
import { activityUri, rememberActivity } from "../vocab/urls.ts";
import { lookupAccount } from "./recipients.ts";

const logger = getLogger(["connexo", "outbox", "referrals"]);

/**
 * A reply to a consultation was referred to a community on another server.
 * The community is looked up (it must be a Group), then the record's
 * community sends it an `Announce` of the reply, addressed to it alone, with
 * the note as `content` and the record as `context`: the receiving Connexo
 * instance files it with that community's referred input. The outcome
 * records where it went, or that the community could not be found.
 */
export async function sendReferral(ctx: FedCtx, event: Extract<DomainEvent, { type: "outcome.referred" }>): Promise<void> {
  const { outcomes } = ctx.data.services;
  const pending = await outcomes.referralToSend(event.decisionId, event.replyUri);
  if (!pending) return logger.debug("The referral of {reply} was sent already, or changed", { reply: event.replyUri });
  const { outcome, community, record } = pending;
  const target = outcome.referral!.target;
  const found = await lookupAccount(ctx, referralHandle(target)).catch((error) => {
    // A server that says there is no such account is an answer; any other failure is tried again by the queue.
    if (!isNoSuchAccount(error)) throw error;
    logger.info("There is no {target} to refer {reply} to: {error}", { target, reply: event.replyUri, error });
    return null;
  });
  const group = found instanceof Group ? await fromApActorWithIcon(found) : null;
  if (!group) {
    await outcomes.referralResolved(outcome, null);
    return;
  }
  const digest = createHash("sha256").update([event.decisionId, event.replyUri, target].join("\n")).digest("hex").slice(0, 32);
  const announce = new Announce({
    id: activityUri(ctx, `referral-${digest}`),
    actor: ctx.getActorUri(community.handle),
    object: new URL(outcome.replyUri),
    to: new URL(group.uri),
    contexts: [decisionUrl(ctx, record.post.id)],
    // ActivityStreams content is HTML: the note is plain text.
    content: escapeHtml(outcome.note || `Referred from the consultation “${record.post.title ?? "Decision record"}”.`),
    published: Temporal.Instant.fromEpochMilliseconds(outcome.setAt.getTime()),
  });
  await rememberActivity(ctx, announce);
  await sendTo(ctx, community.handle, toRecipient(group), announce);
  await outcomes.referralResolved(outcome, { uri: group.uri, name: group.name ?? group.handle ?? group.uri });
}

/** Whether a lookup failed because the account is not there (gone, not found, no actor, not a handle), not for a while. */
function isNoSuchAccount(error: unknown): boolean {
  if (!(error instanceof FetchError)) return false;
  const status = error.response?.status;
  if (status === 404 || status === 410) return true;
  return !error.response && /^(Not a handle|.* has no ActivityPub actor)/.test(error.message);
}
