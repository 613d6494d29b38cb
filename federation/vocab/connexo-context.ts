/** Where each instance serves Connexo's JSON-LD context. */
export const CONNEXO_CONTEXT_PATH = "/ns/connexo";

/** The context document's URL on an instance; a decision's `@context` names it. */
export function connexoContextUrl(origin: string | URL): string {
  return new URL(CONNEXO_CONTEXT_PATH, origin).href;
}

/**
 * Connexo's JSON-LD context: one term for each field of a decision record,
 * so another Connexo instance can show the record with its status and
 * history, while any other server reads the same object as a plain Article.
 *
 * Every term lives in the namespace `{origin}/ns/connexo#` of the instance
 * that serves it. The terms:
 *
 * - `decisionStatus`: proposed, open, closed, decided, superseded or withdrawn.
 * - `decisionQuestion`: what is being decided, as plain text.
 * - `decisionContext`, `decisionText`, `decisionRationale`,
 *   `decisionConsequences`: HTML (Markdown rendered and sanitised).
 * - `decisionOptions`: an ordered list of `{ optionName (plain text),
 *   optionDescription (HTML) }`.
 * - `deciders`: an ordered list of nodes `{ id, name }`: a person here by
 *   their actor URI, a person elsewhere as `acct:user@host`.
 * - `proposedAt`, `consultationClosesAt`, `decidedAt`: xsd:dateTime.
 * - `supersedes`, `supersededBy`: the ids of other decision records.
 * - `informedBy`: an ordered list of `{ object (the post's id), url, note
 *   (how it informed the record, plain text), authorName }`.
 * - `decisionHistory`: an ordered list, oldest first, of `{ at, actor
 *   ({ id, name }, absent when the instance itself made the change), action,
 *   fromStatus, toStatus, reason (plain text), changes (field names) }`.
 *
 * `object`, `url`, `name`, `id` and `actor` are ActivityStreams' own terms.
 */
export function connexoContext(origin: string | URL) {
  const ns = `${connexoContextUrl(origin)}#`;
  const text = (name: string) => ({ "@id": `cx:${name}` });
  const list = (name: string) => ({ "@id": `cx:${name}`, "@container": "@list" });
  const time = (name: string) => ({ "@id": `cx:${name}`, "@type": "xsd:dateTime" });
  const ref = (name: string) => ({ "@id": `cx:${name}`, "@type": "@id" });
  return {
    "@context": {
      cx: ns,
      xsd: "http://www.w3.org/2001/XMLSchema#",
      decisionStatus: text("decisionStatus"),
      decisionQuestion: text("decisionQuestion"),
      decisionContext: text("decisionContext"),
      decisionOptions: list("decisionOptions"),
      optionName: text("optionName"),
      optionDescription: text("optionDescription"),
      decisionText: text("decisionText"),
      decisionRationale: text("decisionRationale"),
      decisionConsequences: text("decisionConsequences"),
      deciders: { ...ref("deciders"), "@container": "@list" },
      proposedAt: time("proposedAt"),
      consultationClosesAt: time("consultationClosesAt"),
      decidedAt: time("decidedAt"),
      supersedes: ref("supersedes"),
      supersededBy: ref("supersededBy"),
      informedBy: list("informedBy"),
      note: text("note"),
      authorName: text("authorName"),
      decisionHistory: list("decisionHistory"),
      at: time("at"),
      action: text("action"),
      fromStatus: text("fromStatus"),
      toStatus: text("toStatus"),
      reason: text("reason"),
      changes: list("changes"),
    },
  };
}
