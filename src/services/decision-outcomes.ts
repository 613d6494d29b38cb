import type { Decision, InformedBy } from "../domain/decisions.ts";
import { invalid } from "../domain/errors.ts";
import type { Store } from "../storage/repositories.ts";
import { consultationInput, withoutOutcome } from "./consultation-input.ts";
import type { OutcomeChange } from "./outcome-answers.ts";

/**
 * What a change of a record's citations does to the outcomes of its
 * replies: a reply it now cites informed the decision (with the citation's
 * note); one it no longer cites loses that outcome, unless the change gives
 * it another (`explicit`).
 */
export async function citationOutcomes(
  store: Store,
  origin: string,
  current: Decision,
  informedBy: InformedBy[],
  explicit: OutcomeChange[],
): Promise<OutcomeChange[]> {
  const citations = (list: InformedBy[]) => JSON.stringify(list.map((i) => [i.uri, i.note]));
  if (citations(current.informedBy) === citations(informedBy)) return explicit;
  const given = new Set(explicit.map((c) => c.reply.uri));
  const derived: OutcomeChange[] = [];
  for (const reply of await consultationInput(store, origin, current)) {
    if (given.has(reply.uri)) continue;
    const citation = informedBy.find((i) => i.uri === reply.uri);
    if (citation && (reply.outcome?.kind !== "informed" || reply.outcome.note !== citation.note)) {
      derived.push({ reply, kind: "informed", note: citation.note });
    } else if (!citation && reply.outcome?.kind === "informed") {
      derived.push({ reply, kind: null, note: "" });
    }
  }
  return [...derived, ...explicit];
}

/**
 * A consultation's replies each get an outcome before the decision is
 * recorded (those it cites now count), unless the decider says why not: the
 * reason is kept in the record's history.
 */
export async function requireOutcomes(store: Store, origin: string, current: Decision, informedBy: InformedBy[], reason: string) {
  if (current.consultationClosesAt === null || reason) return;
  const replies = await consultationInput(store, origin, current);
  const pending = withoutOutcome(replies, new Set(informedBy.map((i) => i.uri))).length;
  if (pending === 0) return;
  const counted =
    pending === 1 ? "1 reply received during the consultation has" : `${pending} replies received during the consultation have`;
  throw invalid(
    `${counted} no outcome yet. Give each an outcome on the record's page first, or say here why the decision is recorded without them.`,
    {
      reason: "say why, while replies have no outcome",
    },
  );
}
