/** Where each instance serves Connexo's JSON-LD context, for people and tools that look it up. */
export const CONNEXO_CONTEXT_PATH = "/ns/connexo";

/**
 * The namespace of Connexo's terms: one IRI, the same on every instance, so
 * that a term means the same thing whichever instance wrote it.
 */
export const CONNEXO_NAMESPACE = "https://w3id.org/connexo/ns#";

/**
 * The context document's URL on an instance. Instances before the stable
 * namespace named it in a decision's `@context` instead of inlining the terms.
 */
export function connexoContextUrl(origin: string | URL): string {
  return new URL(CONNEXO_CONTEXT_PATH, origin).href;
}

const text = (name: string) => ({ "@id": `cx:${name}` });
const list = (name: string) => ({ "@id": `cx:${name}`, "@container": "@list" });
const time = (name: string) => ({ "@id": `cx:${name}`, "@type": "xsd:dateTime" });
const ref = (name: string) => ({ "@id": `cx:${name}`, "@type": "@id" });

/**
 * Connexo's terms, as the object that goes inside an `@context`. Every
 * document we serve that uses them carries this object inline (as Mastodon
 * does with its `toot:` terms): many servers never fetch a remote context,
 * and could not read the terms if we only named one by URL. Any other server
 * still reads a decision record as a plain Article.
 *
 * Every term lives in the namespace `https://w3id.org/connexo/ns#` (`cx:`).
 *
 * Decision records, so another Connexo instance can show a record with its
 * status and history:
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
 * Membership of a community:
 *
 * - `role`: admin, facilitator, member or observer, as plain text.
 * - `organisation`: the organisation a member belongs to, as plain text.
 * - `memberState`: the state of the membership, as plain text.
 *
 * What became of a reply to a consultation, in the document an answering
 * note links to (a `tag` of type `Link` whose `rel` is `cx:outcome`):
 *
 * - `ReplyOutcome`: its type. Its `object` is the reply, its `context` the
 *   decision record (whose title is its `name`), `attributedTo` the community.
 * - `outcome`: acknowledged, informed, referred or not-used, as plain text.
 * - `note`: how it informed the decision, why it was not used, or what goes
 *   with it, as plain text.
 * - `referredTo`: for a referral, the community `{ id, name }` it went to.
 *
 * `object`, `url`, `name`, `id` and `actor` are ActivityStreams' own terms.
 */
export const connexoTerms = Object.freeze({
  cx: CONNEXO_NAMESPACE,
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
  role: text("role"),
  organisation: text("organisation"),
  memberState: text("memberState"),
  ReplyOutcome: "cx:ReplyOutcome",
  outcome: text("outcome"),
  referredTo: ref("referredTo"),
});

/**
 * What every post we publish names as its `generator`: readers may tell a
 * reply from another Connexo instance from one written elsewhere.
 */
export const CONNEXO_SOFTWARE = `${CONNEXO_NAMESPACE}Connexo`;

/** The `rel` of the link from an answering note to the document stating the outcome. */
export const OUTCOME_LINK_REL = `${CONNEXO_NAMESPACE}outcome`;

/** The context document served at CONNEXO_CONTEXT_PATH: the same terms, on their own. */
export function connexoContext() {
  return { "@context": connexoTerms };
}

/**
 * Whether a document's `@context` carries Connexo's terms: an object in it
 * binds `cx` to the stable namespace. Only then do its keys such as
 * `decisionStatus` or `role` mean Connexo's terms rather than someone else's.
 */
export function hasConnexoTerms(context: unknown): boolean {
  const entries = Array.isArray(context) ? context : [context];
  return entries.some(
    (entry) => typeof entry === "object" && entry !== null && (entry as Record<string, unknown>).cx === CONNEXO_NAMESPACE,
  );
}
