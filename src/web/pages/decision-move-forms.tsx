import type { Child } from "hono/jsx";
import {
  formatDecisionTime,
  isFinal,
  mayMove,
  MOVES,
  STATUS_LABELS,
  type Decision,
  type DecisionMove,
  type DecisionStatus,
} from "../../domain/decisions.ts";
import { decisionFormPath, decisionOutcomesPath } from "../../domain/urls.ts";
import type { CitableReply } from "../../services/decisions.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, describedBy, ErrorSummary, Field, sentence, TextInput, type FieldErrors } from "./components.tsx";
import {
  DECISION_PART_LABELS,
  DecisionFormLayout,
  DecisionPartFields,
  FORM_ID,
  FormButtons,
  ReasonField,
  type DecisionPartValues,
} from "./decision-form-parts.tsx";
import { InformedByFields, type InformedByValues } from "./decision-informed-by.tsx";

/** Each move's page: where it is, and what its heading and button say. */
export const MOVE_PAGES: Record<DecisionMove, { path: (id: string) => string; heading: string }> = {
  open: { path: (id) => decisionFormPath(id, "open"), heading: "Open for comment" },
  close: { path: (id) => decisionFormPath(id, "close"), heading: "Close comments" },
  decide: { path: (id) => decisionFormPath(id, "decide"), heading: "Record the decision" },
  supersede: { path: (id) => decisionFormPath(id, "supersede"), heading: "Mark as superseded" },
  withdraw: { path: (id) => decisionFormPath(id, "withdraw"), heading: "Withdraw the record" },
};

const OPTIONAL_REASON_HINT = "Optional. It is shown in the record's history.";

interface MovePageProps<V> {
  ctx: PageContext;
  decision: Decision;
  values: V;
  errors?: FieldErrors;
}

/** A move's form: the record it moves, the problems, the fields and the button. */
function MoveForm(props: {
  ctx: PageContext;
  decision: Decision;
  move: DecisionMove;
  errors: FieldErrors;
  labels: Record<string, string>;
  lede: Child;
  children: Child;
}) {
  const { ctx, decision, move, errors } = props;
  return (
    <DecisionFormLayout ctx={ctx} decision={decision} heading={MOVE_PAGES[move].heading} errors={errors}>
      {props.lede}
      <form method="post" action={MOVE_PAGES[move].path(decision.post.id)} id={FORM_ID} novalidate>
        <ErrorSummary errors={errors} labels={props.labels} />
        <CsrfField token={ctx.csrfToken} />
        {props.children}
      </form>
    </DecisionFormLayout>
  );
}

export interface OpenValues {
  /** As typed, in the instance's time zone: "05/12/2026 17:00". */
  closesAt: string;
  reason: string;
}

export function OpenPage({ ctx, decision, values, errors = {} }: MovePageProps<OpenValues>) {
  const label = `Comments close (${ctx.timeZone} time)`;
  const hint = `Day, month, year and time, in ${ctx.timeZone} time. For example, for 5 December 2026 at 17:00 type 05/12/2026 17:00.`;
  return (
    <MoveForm
      ctx={ctx}
      decision={decision}
      move="open"
      errors={errors}
      labels={{ closesAt: label, reason: "Reason" }}
      lede={
        <p class="lede">
          Anyone, here or on the fediverse, can then reply to the record until the time you choose. At that time comments close by
          themselves, and the record says so.
        </p>
      }
    >
      <Field name="closesAt" label={label} hint={hint} error={errors.closesAt}>
        <input
          type="text"
          autocomplete="off"
          spellcheck={false}
          id="closesAt"
          name="closesAt"
          value={values.closesAt}
          required
          aria-invalid={errors.closesAt ? "true" : undefined}
          aria-describedby={describedBy("closesAt", hint, errors.closesAt)}
        />
      </Field>
      <ReasonField label="Reason" hint={OPTIONAL_REASON_HINT} value={values.reason} error={errors.reason} />
      <FormButtons decision={decision} label="Open for comment" />
    </MoveForm>
  );
}

export function ClosePage({ ctx, decision, early, values, errors = {} }: MovePageProps<{ reason: string }> & { early: boolean }) {
  const planned = decision.consultationClosesAt;
  return (
    <MoveForm
      ctx={ctx}
      decision={decision}
      move="close"
      errors={errors}
      labels={{ reason: "Reason" }}
      lede={
        <p class="lede">
          {planned ? <>Comments were to close on {formatDecisionTime(planned, ctx.timeZone)}. </> : null}
          Closing them now ends the consultation: the record then waits for the decision, and says so.
        </p>
      }
    >
      <ReasonField
        label="Reason"
        hint={
          early
            ? "Required, because comments close before the time that was announced. Readers see it in the record's history."
            : OPTIONAL_REASON_HINT
        }
        value={values.reason}
        error={errors.reason}
        required={early}
      />
      <FormButtons decision={decision} label="Close comments now" />
    </MoveForm>
  );
}

export interface DecideValues {
  part: DecisionPartValues;
  informedBy: InformedByValues;
  reason: string;
}

export function DecidePage({
  ctx,
  decision,
  values,
  errors = {},
  replies,
  pendingOutcomes,
}: MovePageProps<DecideValues> & { replies: CitableReply[]; pendingOutcomes: number }) {
  const pending = pendingOutcomes === 1 ? "1 reply" : `${pendingOutcomes} replies`;
  return (
    <MoveForm
      ctx={ctx}
      decision={decision}
      move="decide"
      errors={errors}
      labels={{ ...DECISION_PART_LABELS, informedBy: "What informed the decision", reason: "Reason" }}
      lede={
        <p class="lede">
          Say what was decided, why, and by whom. Once recorded, a change to the decision is an amendment: it needs a reason, and the
          history shows it.
        </p>
      }
    >
      {pendingOutcomes > 0 ? (
        <div class="panel">
          <p>
            {pending} received during the consultation {pendingOutcomes === 1 ? "has" : "have"} no outcome yet. Give each one an outcome
            first (citing one below counts), or say under “Reason” why the decision is recorded without them.
          </p>
          <p>
            <a href={decisionOutcomesPath(decision.post.id)}>Set the outcomes of the replies</a>
          </p>
        </div>
      ) : null}
      <DecisionPartFields values={values.part} errors={errors} />
      <InformedByFields replies={replies} values={values.informedBy} error={errors.informedBy} />
      <section aria-labelledby="change-title">
        <h2 id="change-title">About this change</h2>
        <ReasonField
          label="Reason"
          hint={
            pendingOutcomes > 0
              ? "Required while replies have no outcome: why the decision is recorded without them."
              : OPTIONAL_REASON_HINT
          }
          value={values.reason}
          error={errors.reason}
        />
      </section>
      <FormButtons decision={decision} label="Record the decision" />
    </MoveForm>
  );
}

export interface SupersedeValues {
  /** The id of the record chosen from the list. */
  record: string;
  /** Or its address, pasted. */
  address: string;
  reason: string;
}

export function SupersedePage(props: MovePageProps<SupersedeValues> & { candidates: Decision[] }) {
  const { ctx, decision, values, errors = {} } = props;
  const hint = "The record that replaces this one must be on this instance.";
  return (
    <MoveForm
      ctx={ctx}
      decision={decision}
      move="supersede"
      errors={errors}
      labels={{ by: "The record that replaces it", reason: "Reason" }}
      lede={
        <p class="lede">
          The record stays readable, marked as superseded, with a link to the record that replaces it. This is final: a superseded record
          cannot change any more.
        </p>
      }
    >
      <fieldset id="by" class={errors.by ? "field field-with-error" : "field"} aria-describedby={describedBy("by", hint, errors.by)}>
        <legend>The record that replaces it</legend>
        <span class="hint" id="by-hint">
          {hint}
        </span>
        {errors.by ? (
          <span class="field-error" id="by-error">
            <span class="visually-hidden">Error: </span>
            {sentence(errors.by)}
          </span>
        ) : null}
        <Field name="by-record" label="Choose one of this community's records">
          <select id="by-record" name="by-record">
            <option value="">Choose a record</option>
            {props.candidates.map((c) => (
              <option value={c.post.id} selected={c.post.id === values.record}>
                {c.post.title} ({STATUS_LABELS[c.status]})
              </option>
            ))}
          </select>
        </Field>
        <TextInput name="by-address" label="Or paste its address" type="url" value={values.address} spellcheck={false} />
      </fieldset>
      <ReasonField label="Reason" hint={OPTIONAL_REASON_HINT} value={values.reason} error={errors.reason} />
      <FormButtons decision={decision} label="Mark as superseded" />
    </MoveForm>
  );
}

export function WithdrawPage({ ctx, decision, values, errors = {} }: MovePageProps<{ reason: string }>) {
  return (
    <MoveForm
      ctx={ctx}
      decision={decision}
      move="withdraw"
      errors={errors}
      labels={{ reason: "Reason" }}
      lede={
        <>
          <p class="lede">The record stays readable, marked as withdrawn, with your reason.</p>
          <div class="notice notice-warning">
            <p>
              <strong>Withdrawing is final.</strong> A withdrawn record cannot be changed, reopened or decided any more.
            </p>
          </div>
        </>
      }
    >
      <ReasonField
        label="Reason"
        hint="Required. Say why the record is withdrawn: readers see it in its history."
        value={values.reason}
        error={errors.reason}
        required
      />
      <FormButtons decision={decision} label="Withdraw the record" warning />
    </MoveForm>
  );
}

/** Why this move (or, with none named, a change) cannot be made from this state, in words. */
export function whyNot(status: DecisionStatus, move?: DecisionMove): string {
  const now = STATUS_LABELS[status].toLowerCase();
  if (isFinal(status) || !move) return `This record is ${now}. That is final: it cannot change any more.`;
  if (move === "decide" && status === "open") {
    return "The consultation is still open. Close comments first, so that everyone can see they have ended, then record the decision.";
  }
  const from = MOVES[move].from.map((s) => STATUS_LABELS[s].toLowerCase());
  const allowed = from.length > 1 ? `${from.slice(0, -1).join(", ")} or ${from.at(-1)}` : from[0];
  return `This record is ${now}. It can be ${MOVES[move].action} only when it is ${allowed}.`;
}

/** A move or change that the record's state does not allow: why, and what can be done instead. */
export function MoveRefusedPage({ ctx, decision, message }: { ctx: PageContext; decision: Decision; message: string }) {
  const id = decision.post.id;
  const possible = (Object.keys(MOVES) as DecisionMove[])
    .filter((move) => mayMove(decision.status, move))
    .map((move) => ({ href: MOVE_PAGES[move].path(id), label: MOVE_PAGES[move].heading }));
  if (!isFinal(decision.status)) {
    possible.unshift({ href: decisionFormPath(id, "edit"), label: decision.status === "decided" ? "Amend the record" : "Edit the record" });
  }
  return (
    <DecisionFormLayout ctx={ctx} decision={decision} heading="This cannot be done now">
      <p class="lede">{message}</p>
      {possible.length > 0 ? (
        <>
          <h2>What you can do now</h2>
          <ul class="link-list">
            {possible.map((link) => (
              <li>
                <a href={link.href}>{link.label}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </DecisionFormLayout>
  );
}
