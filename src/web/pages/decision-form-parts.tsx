import type { Child } from "hono/jsx";
import type { Decision } from "../../domain/decisions.ts";
import { decisionPath } from "../../domain/urls.ts";
import type { PageContext } from "./context.ts";
import { TextArea, TextInput, type FieldErrors } from "./components.tsx";
import { StatusTag } from "./decision-parts.tsx";
import { Layout } from "./layout.tsx";

/**
 * The id of every decision form: a problem that belongs to no one field
 * ("Nothing has changed") links here from the error summary.
 */
export const FORM_ID = "decision-form";

/** The page of a form that changes a record: its heading, and which record, in which state, with the way back. */
export function DecisionFormLayout(props: {
  ctx: PageContext;
  decision: Decision;
  heading: string;
  errors?: FieldErrors;
  children: Child;
}) {
  const { decision, heading } = props;
  const hasErrors = Object.keys(props.errors ?? {}).length > 0;
  return (
    <Layout ctx={props.ctx} title={`${hasErrors ? "Error: " : ""}${heading}: ${decision.post.title}`}>
      <p class="back-link">
        <a href={decisionPath(decision.post.id)}>Back to the record</a>
      </p>
      <h1>{heading}</h1>
      <p class="decision-form-record">
        <span class="visually-hidden">Decision record: </span>
        <strong>{decision.post.title}</strong> <span class="secondary">is now</span> <StatusTag status={decision.status} />
      </p>
      {props.children}
    </Layout>
  );
}

/** The submit button, and a way out that changes nothing. */
export function FormButtons({ decision, label, warning }: { decision: Decision; label: string; warning?: boolean }) {
  return (
    <div class="button-group">
      <button type="submit" class={warning ? "button button-warning" : "button"}>
        {label}
      </button>
      <a href={decisionPath(decision.post.id)}>Cancel</a>
    </div>
  );
}

/** The decision itself, as recorded when deciding and amended afterwards. */
export interface DecisionPartValues {
  decision: string;
  rationale: string;
  consequences: string;
  /** As typed: "@alice, @bob@other.example". */
  deciders: string;
}

export const DECISION_PART_LABELS: Record<keyof DecisionPartValues, string> = {
  decision: "Decision",
  rationale: "Rationale",
  consequences: "Consequences",
  deciders: "Who decided",
};

/** "@alice, @bob@other.example" from the stored handles. */
export const decidersText = (deciders: string[]) => deciders.map((handle) => `@${handle}`).join(", ");

export function DecisionPartFields({ values, errors }: { values: DecisionPartValues; errors: FieldErrors }) {
  return (
    <>
      <TextArea
        name="decision"
        label={DECISION_PART_LABELS.decision}
        hint="What was decided, plainly, in a sentence or a few. Once decided, this is what Mastodon users see. Markdown works."
        value={values.decision}
        error={errors.decision}
        rows={5}
        required
      />
      <TextArea
        name="rationale"
        label={DECISION_PART_LABELS.rationale}
        hint="Why: the reasons, and how the options compared. Markdown works."
        value={values.rationale}
        error={errors.rationale}
        rows={8}
        required
      />
      <TextArea
        name="consequences"
        label={DECISION_PART_LABELS.consequences}
        hint="Optional. What follows from it: what changes, for whom, and what it costs. Markdown works."
        value={values.consequences}
        error={errors.consequences}
        rows={5}
      />
      <TextInput
        name="deciders"
        label={DECISION_PART_LABELS.deciders}
        hint="Handles separated by commas: @alice for people here, @bob@other.example for people on other servers."
        value={values.deciders}
        error={errors.deciders}
        spellcheck={false}
        required
      />
    </>
  );
}

/** Why the change is made, kept in the history: optional for most changes, required for some (withdrawing, amending). */
export function ReasonField(props: { label: string; hint: string; value: string; error?: string; required?: boolean }) {
  return (
    <TextArea
      name="reason"
      label={props.label}
      hint={props.hint}
      value={props.value}
      error={props.error}
      rows={3}
      required={props.required}
    />
  );
}
