import { Link, type Note } from "@fedify/vocab";
import { isOutcomeKind } from "../../src/domain/outcomes.ts";
import { webUrl } from "../../src/domain/web-url.ts";
import type { FedCtx } from "../context.ts";
import { hasConnexoTerms, OUTCOME_LINK_REL } from "../vocab/connexo-context.ts";
import { localPostId, logger, sameOrigin, toDate } from "./common.ts";
import { isRecord } from "../../src/domain/json.ts";
import { text } from "./remote-decision.ts";

const LIMITS = { name: 200 };

/**
 * A note from another Connexo instance answering a note written here may
 * say what became of it: it links (a `tag` Link, `rel` cx:outcome) the
 * document stating the outcome, which is read afresh from the answering
 * actor's own server, and kept beside our note. Anything else passes by.
 */
export async function receiveOutcome(ctx: FedCtx, object: Note, actorUri: URL): Promise<void> {
  const reply = object.replyTargetId;
  if (!object.id || !reply || !localPostId(ctx, reply)) return;
  const href = await outcomeHref(object);
  if (!href || !sameOrigin(href, actorUri)) return;
  try {
    const load = await ctx.getDocumentLoader({ identifier: "instance" });
    const { document, documentUrl } = await load(href.href);
    if (!isRecord(document) || new URL(documentUrl).origin !== href.origin || document.id !== href.href) return;
    if (!hasConnexoTerms(document["@context"]) || document.type !== "ReplyOutcome" || document.object !== reply.href) return;
    const kind = document.outcome;
    const recordUri = webUrl(text(document.context));
    if (!recordUri) return;
    // An outcome taken back (the record no longer cites the reply): what was said of it goes.
    if (kind === null || kind === undefined) {
      const forgot = await ctx.data.services.outcomes.forgetElsewhere(reply.href, actorUri.href);
      return logger.info("{actor} took back what became of {reply} ({forgot})", { actor: actorUri.href, reply: reply.href, forgot });
    }
    if (!isOutcomeKind(kind)) return;
    const referred = isRecord(document.referredTo) ? document.referredTo : null;
    const kept = await ctx.data.services.outcomes.receiveElsewhere({
      replyUri: reply.href,
      postId: "",
      answerUri: object.id.href,
      recordUri,
      recordTitle: text(document.name, LIMITS.name) || "Decision record",
      kind,
      note: text(document.note),
      referredTo: referred ? { uri: webUrl(text(referred.id)), name: text(referred.name, LIMITS.name) || "another community" } : null,
      answeredBy: actorUri.href,
      updatedAt: toDate(object.updated) ?? toDate(object.published) ?? new Date(),
    });
    logger.info("What became of {reply}, from {actor}: {kind} ({kept})", { reply: reply.href, actor: actorUri.href, kind, kept });
  } catch (error) {
    logger.info("Could not read the outcome at {href}: {error}", { href: href.href, error });
  }
}

/** The address of the outcome document a note links, if it links one. */
async function outcomeHref(object: Note): Promise<URL | null> {
  for await (const tag of object.getTags({ crossOrigin: "ignore" })) {
    if (tag instanceof Link && tag.href && tag.rels.includes(OUTCOME_LINK_REL)) return tag.href;
  }
  return null;
}
