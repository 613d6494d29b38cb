import { Link } from "@fedify/vocab";
import type { Decision } from "../../src/domain/decisions.ts";
import type { InputOutcome } from "../../src/domain/outcomes.ts";
import { outcomeDocumentPath } from "../../src/domain/urls.ts";
import type { FedCtx } from "../context.ts";
import { connexoTerms, OUTCOME_LINK_REL } from "./connexo-context.ts";
import { decisionUrl } from "./decision.ts";

const AS_CONTEXT = "https://www.w3.org/ns/activitystreams";

/** Where the outcome a note answers with is stated. */
export function outcomeDocumentUrl(ctx: FedCtx, answerNoteId: string): URL {
  return new URL(outcomeDocumentPath(answerNoteId), ctx.canonicalOrigin);
}

/**
 * The link an answering note carries to its outcome's document. Fedify sends
 * only ActivityStreams terms, so the outcome itself cannot ride in the note;
 * a `Link` in `tag` survives, and servers that know nothing of it (Mastodon
 * keeps only mentions, hashtags and emoji) pass it by.
 */
export function outcomeLink(ctx: FedCtx, answerNoteId: string): Link {
  return new Link({
    href: outcomeDocumentUrl(ctx, answerNoteId),
    rels: [OUTCOME_LINK_REL],
    mediaType: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
  });
}

/** What became of a reply, in Connexo's terms, with their definitions inlined. */
export function outcomeDocument(
  ctx: FedCtx,
  { outcome, record, communityHandle }: { outcome: InputOutcome; record: Decision; communityHandle: string },
): Record<string, unknown> {
  const referral = outcome.kind === "referred" ? outcome.referral : null;
  return {
    "@context": [AS_CONTEXT, connexoTerms],
    id: outcomeDocumentUrl(ctx, outcome.answerNoteId!).href,
    type: "ReplyOutcome",
    attributedTo: ctx.getActorUri(communityHandle).href,
    object: outcome.replyUri,
    context: decisionUrl(ctx, record.post.id).href,
    name: record.post.title ?? "Decision record",
    outcome: outcome.kind,
    note: outcome.note,
    ...(referral ? { referredTo: { ...(referral.uri ? { id: referral.uri } : {}), name: referral.name ?? referral.target } } : {}),
    updated: outcome.setAt.toISOString(),
  };
}
