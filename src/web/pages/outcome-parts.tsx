import type { Decision } from "../../domain/decisions.ts";
import { type InputOutcome, OUTCOME_LABELS, referralHandle } from "../../domain/outcomes.ts";
import { decisionOutcomesPath, notePath } from "../../domain/urls.ts";
import { type ConsultationReply, withoutOutcome } from "../../services/consultation-input.ts";
import type { NoteOutcome } from "../../services/outcomes.ts";
import { RemoteLink } from "./components.tsx";

/** Where a referral went, in words: the community's name once known, as typed until then, and whether it got there. */
function referralWords(outcome: InputOutcome): string {
  const referral = outcome.referral;
  if (!referral) return "";
  const where = referral.name ?? referralHandle(referral.target);
  if (referral.state === "sending") return ` to ${where} (being sent)`;
  if (referral.state === "failed") return ` to ${referralHandle(referral.target)}, which could not be found`;
  return ` to ${where}`;
}

/** A reply's outcome in a line: "Not used: it is outside the council's powers", or "No outcome yet". */
export function OutcomeLine({ outcome }: { outcome: InputOutcome | null }) {
  if (!outcome?.kind) return <p class="outcome outcome-none">No outcome yet</p>;
  const label = OUTCOME_LABELS[outcome.kind];
  return (
    <p class={`outcome outcome-${outcome.kind}`}>
      <strong>{label}</strong>
      {referralWords(outcome)}
      {outcome.note ? `: ${outcome.note}` : null}
    </p>
  );
}

/**
 * What became of each reply that answered the record: public, so everyone
 * sees that input counted. Those who may set outcomes get the form's link.
 */
export function InputOutcomes({ decision, input, maySet }: { decision: Decision; input: ConsultationReply[]; maySet: boolean }) {
  if (input.length === 0 && !maySet) return null;
  const pending = withoutOutcome(input).length;
  return (
    <section aria-labelledby="outcomes-title">
      <h2 id="outcomes-title">What became of the replies</h2>
      {input.length === 0 ? (
        <p class="secondary">No replies yet.</p>
      ) : (
        <ul class="input-outcomes">
          {input.map((reply) => (
            <li>
              <p>
                <RemoteLink href={reply.url}>Reply from {reply.author?.name ?? "someone"}</RemoteLink>{" "}
                <span class="handle">{reply.author?.handle ?? ""}</span>
              </p>
              <OutcomeLine outcome={reply.outcome} />
              {reply.outcome?.answerNoteId ? (
                <p class="meta">
                  <a href={notePath(reply.outcome.answerNoteId)}>What we told them</a>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {maySet ? (
        <p>
          {pending > 0 ? `${pending} ${pending === 1 ? "reply" : "replies"} received during the consultation without an outcome. ` : null}
          <a class="button button-secondary" href={decisionOutcomesPath(decision.post.id)}>
            Set outcomes
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** What became of a reply to a consultation: the outcome, in the record's words, beside the reply. */
export function WhatBecameOfIt({ outcome }: { outcome: NoteOutcome }) {
  return (
    <section class="panel" aria-labelledby="outcome-title">
      <h2 id="outcome-title">What became of this reply</h2>
      <p class={`outcome outcome-${outcome.kind}`}>
        <strong>{OUTCOME_LABELS[outcome.kind]}</strong>
        {outcome.referredTo ? ` to ${outcome.referredTo}` : null}
        {outcome.note ? `: ${outcome.note}` : null}
      </p>
      <p class="meta">
        In the decision record <RemoteLink href={outcome.recordUrl}>{outcome.recordTitle}</RemoteLink>
        {outcome.answerUrl ? (
          <>
            {" "}
            · <RemoteLink href={outcome.answerUrl}>the community's answer</RemoteLink>
          </>
        ) : null}
      </p>
    </section>
  );
}
