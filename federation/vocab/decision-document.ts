import type { Decision } from "../../src/domain/decisions.ts";
import type { FedCtx } from "../context.ts";
import { connexoTerms } from "./connexo-context.ts";
import { decisionTerms, loadDecisionView } from "./decision.ts";
import { postAuthors } from "./load.ts";
import { toApObject } from "./post.ts";

/**
 * A decision record as served at its id: the Article any server reads, with
 * Connexo's terms beside its own and their definitions inlined in
 * `@context`, so that a server that never fetches a remote context can still
 * read them. Fedify re-compacts what it sends from the properties it knows,
 * so only this document (not the activities) carries the terms.
 */
export async function decisionDocument(ctx: FedCtx, decision: Decision): Promise<Record<string, unknown>> {
  const post = decision.post;
  const [authors, view, history] = await Promise.all([
    postAuthors(ctx, post),
    loadDecisionView(ctx, decision),
    ctx.data.services.decisions.history(post.id),
  ]);
  const article = await toApObject(ctx, post, authors, view);
  const json = (await article.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>;
  const context = json["@context"];
  return {
    ...json,
    "@context": [...(Array.isArray(context) ? context : [context]), connexoTerms],
    ...(await decisionTerms(ctx, view, history)),
  };
}
