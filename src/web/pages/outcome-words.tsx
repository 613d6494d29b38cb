import { type InputOutcome, OUTCOME_LABELS, referralHandle } from "../../domain/outcomes.ts";

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
