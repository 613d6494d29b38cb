import type { Article } from "@fedify/vocab";
import { DECISION_ACTIONS, isDecisionStatus, type RemoteDecision } from "../../src/domain/decisions.ts";
import { htmlToText } from "../../src/domain/sanitize.ts";
import type { RemotePostInput } from "../../src/domain/types.ts";
import { webUrl } from "../../src/domain/web-url.ts";
import type { FedCtx } from "../context.ts";
import { connexoContextUrl, hasConnexoTerms } from "../vocab/connexo-context.ts";
import { logger } from "./common.ts";
import { isRecord } from "../../src/domain/json.ts";

/** A decision from another Connexo instance as its document states it now. */
export interface RemoteDecisionDocument {
  decision: RemoteDecision;
  /** The Article's own fields from the same document, newer than an activity delivered late. */
  article: Partial<Pick<RemotePostInput, "name" | "summary" | "contentHtml" | "updatedAt">>;
}

/**
 * The structured record behind an Article from another Connexo instance, or
 * null if it is not one. Activities carry the plain Article (Fedify drops
 * unknown terms when it sends), so the record is read from the document at
 * the object's id: fetched afresh (the signed loader keeps no cache, so an
 * Update shows the new state), only from the object's own origin, and only
 * if its `@context` carries Connexo's terms. Text is sanitised later, by the
 * service that stores it.
 */
export async function readRemoteDecision(ctx: FedCtx, object: Article): Promise<RemoteDecisionDocument | null> {
  const id = object.id;
  if (!id) return null;
  try {
    const load = await ctx.getDocumentLoader({ identifier: "instance" });
    const { document, documentUrl } = await load(id.href);
    if (new URL(documentUrl).origin !== id.origin || !isRecord(document) || document.id !== id.href) return null;
    if (!carriesConnexoTerms(document["@context"], id.origin)) return null;
    const decision = parseDecision(document);
    return decision ? { decision, article: articleFields(document) } : null;
  } catch (error) {
    logger.info("Could not read the decision record at {id}: {error}", { id: id.href, error });
    return null;
  }
}

/**
 * Connexo's terms inlined (see hasConnexoTerms), or, as instances not yet on
 * the stable namespace write it, the URL of the context served by the
 * document's own origin: another origin's could define the terms otherwise.
 */
function carriesConnexoTerms(context: unknown, origin: string): boolean {
  return hasConnexoTerms(context) || asArray(context).includes(connexoContextUrl(origin));
}

const LIMITS = { text: 100_000, line: 2_000, list: 200, history: 1_000 };

/** JSON-LD may give one value where we expect a list; and a list is as long as we accept. */
function asArray(value: unknown, max = LIMITS.list): unknown[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value["@list"]) ? value["@list"] : [value];
  return list.slice(0, max);
}

export const text = (value: unknown, max = LIMITS.line) => (typeof value === "string" ? value.slice(0, max) : "");

/** Links are kept only if they are http(s): they end up in href attributes. */
function httpUrl(value: unknown): string | null {
  const raw = isRecord(value) ? value.id : value;
  return typeof raw === "string" ? webUrl(raw) : null;
}

function isoTime(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A person named on the record: `{ id, name }`, an actor URI, or acct:user@host. */
function person(value: unknown): { uri: string | null; name: string } | null {
  const id = isRecord(value) ? value.id : value;
  const name = isRecord(value) ? text(value.name, 200) : "";
  if (typeof id !== "string") return name ? { uri: null, name } : null;
  if (id.startsWith("acct:")) return { uri: null, name: name || `@${id.slice(5, 200)}` };
  const uri = httpUrl(id);
  return uri ? { uri, name: name || uri } : name ? { uri: null, name } : null;
}

/**
 * Two moves made in quick succession send two Updates, which may arrive in
 * either order; the document fetched is the latest, so its title, summary and
 * content are kept with the record read from it, and they always agree.
 */
function articleFields(doc: Record<string, unknown>): RemoteDecisionDocument["article"] {
  const updated = isoTime(doc.updated);
  return {
    ...(typeof doc.name === "string" ? { name: doc.name.slice(0, LIMITS.line) } : {}),
    ...(typeof doc.summary === "string" ? { summary: htmlToText(doc.summary.slice(0, LIMITS.line)) } : {}),
    ...(typeof doc.content === "string" ? { contentHtml: doc.content.slice(0, LIMITS.text) } : {}),
    ...(updated ? { updatedAt: new Date(updated) } : {}),
  };
}

function parseDecision(doc: Record<string, unknown>): RemoteDecision | null {
  const status = doc.decisionStatus;
  if (typeof status !== "string" || !isDecisionStatus(status)) return null;
  return {
    status,
    question: text(doc.decisionQuestion),
    contextHtml: text(doc.decisionContext, LIMITS.text),
    options: asArray(doc.decisionOptions)
      .filter(isRecord)
      .map((o) => ({
        title: text(o.optionName, 200),
        descriptionHtml: text(o.optionDescription, LIMITS.text),
      })),
    decisionHtml: text(doc.decisionText, LIMITS.text),
    rationaleHtml: text(doc.decisionRationale, LIMITS.text),
    consequencesHtml: text(doc.decisionConsequences, LIMITS.text),
    deciders: asArray(doc.deciders)
      .map(person)
      .filter((p) => p !== null),
    proposedAt: isoTime(doc.proposedAt),
    consultationClosesAt: isoTime(doc.consultationClosesAt),
    decidedAt: isoTime(doc.decidedAt),
    supersedes: asArray(doc.supersedes)
      .map(httpUrl)
      .filter((u) => u !== null),
    supersededBy: httpUrl(doc.supersededBy),
    informedBy: asArray(doc.informedBy)
      .filter(isRecord)
      .flatMap((i) => {
        const uri = httpUrl(i.object);
        return uri ? [{ uri, url: httpUrl(i.url), note: text(i.note), authorName: text(i.authorName, 200) || null }] : [];
      }),
    history: asArray(doc.decisionHistory, LIMITS.history)
      .filter(isRecord)
      .flatMap((h) => {
        const at = isoTime(h.at);
        const action = DECISION_ACTIONS.find((a) => a === h.action);
        const toStatus = typeof h.toStatus === "string" && isDecisionStatus(h.toStatus) ? h.toStatus : null;
        const fromStatus = typeof h.fromStatus === "string" && isDecisionStatus(h.fromStatus) ? h.fromStatus : null;
        if (!at || !action || !toStatus) return [];
        return [
          {
            at,
            actorName: h.actor === undefined ? null : (person(h.actor)?.name ?? null),
            action,
            fromStatus,
            toStatus,
            reason: text(h.reason),
            changes: asArray(h.changes)
              .map((c) => text(c, 100))
              .filter(Boolean),
          },
        ];
      }),
  };
}
