import { Flag } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { DomainEvent } from "../../src/domain/events.ts";
import { INSTANCE_ACTOR_HANDLE } from "../../src/domain/handle.ts";
import type { FedCtx } from "../context.ts";
import { sendTo } from "../delivery-policy.ts";
import { toRecipient } from "../vocab/recipient.ts";
import { activityUri } from "../vocab/urls.ts";

const logger = getLogger(["connexo", "outbox", "reports"]);

/**
 * A report about content from elsewhere goes to the server it came from, as
 * Mastodon forwards one: a `Flag` from the instance actor (naming no one
 * here), whose objects are the account and the reported post or reply, and
 * whose content is the report's note.
 */
export async function sendFlag(ctx: FedCtx, event: Extract<DomainEvent, { type: "report.forwarded" }>): Promise<void> {
  const found = await ctx.data.services.reports.toForward(event.reportId);
  if (!found) return logger.debug("Report {id} is not forwarded: it is gone, or was never forwarded", { id: event.reportId });
  const { report, author } = found;
  if (!author)
    return logger.warn("Report {id} is not forwarded: its account {uri} is not known here", { id: report.id, uri: report.remoteAuthorUri });
  const objects = [new URL(author.uri), ...(report.subjectUri !== author.uri ? [new URL(report.subjectUri)] : [])];
  const flag = new Flag({
    id: activityUri(ctx, `flag-${report.id}`),
    actor: ctx.getActorUri(INSTANCE_ACTOR_HANDLE),
    objects,
    content: report.note,
  });
  // The server hears of its account even when the account is blocked here; a blocked domain hears nothing.
  await sendTo(ctx, INSTANCE_ACTOR_HANDLE, toRecipient(author), flag, { blockedActors: "send" });
}
