import { raw } from "hono/html";
import type { Decision, DecisionOption } from "../../domain/decisions.ts";
import { renderMarkdown } from "../../domain/markdown.ts";
import { decisionDraftPath, decisionFormPath, decisionPath, DECISIONS_PATH, newDecisionPath } from "../../domain/urls.ts";
import type { CitableReply } from "../../services/decisions.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, describedBy, ErrorSummary, Field, sentence, TextArea, TextInput, type FieldErrors } from "./components.tsx";
import {
  DECISION_PART_LABELS,
  DecisionFormLayout,
  DecisionPartFields,
  FORM_ID,
  ReasonField,
  type DecisionPartValues,
} from "./decision-form-parts.tsx";
import { InformedByFields, type InformedByValues } from "./decision-informed-by.tsx";
import { Layout } from "./layout.tsx";

/** Option slots a new record offers; editing offers one more than it has filled, up to the most a record may list. */
export const OPTION_SLOTS = 5;
export const MAX_OPTION_SLOTS = 10;

/** Field names of the option slots, numbered from 1 as people see them. */
export const optionTitle = (slot: number) => `option-${slot}-title`;
export const optionDescription = (slot: number) => `option-${slot}-description`;

/** What the propose and edit forms hold, as typed. */
export interface DecisionTextValues {
  community: string;
  title: string;
  question: string;
  context: string;
  tags: string;
  /** Every slot, empty ones too, so that a re-shown form keeps each in its place. */
  options: DecisionOption[];
  part: DecisionPartValues;
  informedBy: InformedByValues;
  reason: string;
  /** The record's version when the form was first shown, so a save cannot undo someone else's change unseen. */
  version: string;
}

export interface Community {
  handle: string;
  displayName: string;
}

const LABELS: Record<string, string> = {
  community: "Community",
  title: "Title",
  question: "Question",
  context: "Context",
  tags: "Tags",
  options: "Options considered",
  ...DECISION_PART_LABELS,
  informedBy: "What informed the decision",
};

/** Proposing a decision record: the question and its context, the options, and a preview; or saving it as a draft. */
export function ProposePage(props: {
  ctx: PageContext;
  communities: Community[];
  values: DecisionTextValues;
  errors?: FieldErrors;
  preview?: boolean;
  /** A draft being edited: its community is chosen already. */
  draft?: { id: string; communityName: string };
}) {
  const { ctx, values, draft } = props;
  const errors = props.errors ?? {};
  const heading = draft ? "Edit draft decision" : "Propose a decision";
  return (
    <Layout ctx={ctx} title={pageTitle(heading, errors, props.preview)}>
      <h1>{heading}</h1>
      <p class="lede">
        A proposed decision is public at once: it appears in the community's decision register and goes to its followers. Afterwards you can
        open it for comment, then record the decision. A draft stays in your drafts, seen by no one else, until you propose it.
      </p>
      {props.preview ? <PreviewLink /> : null}
      <form method="post" action={draft ? decisionDraftPath(draft.id) : newDecisionPath()} id={FORM_ID} novalidate>
        <ErrorSummary errors={errors} labels={LABELS} />
        <CsrfField token={ctx.csrfToken} />
        {draft ? (
          <p>
            Community: <strong>{draft.communityName}</strong>
          </p>
        ) : (
          <CommunitySelect communities={props.communities} value={values.community} error={errors.community} />
        )}
        <RecordTextFields values={values} errors={errors} />
        <div class="button-group">
          {/* Preview comes first: it is what pressing Enter in a field does, and it stores nothing. */}
          <button type="submit" name="action" value="preview" class="button button-secondary">
            Preview
          </button>
          <button type="submit" name="action" value="draft" class="button button-secondary">
            {draft ? "Save draft" : "Save as draft"}
          </button>
          <button type="submit" name="action" value="propose" class="button">
            Propose decision
          </button>
        </div>
      </form>
      {props.preview ? <DecisionPreview values={values} withDecision={false} /> : null}
    </Layout>
  );
}

export interface EditPageProps {
  ctx: PageContext;
  decision: Decision;
  communityName: string;
  /** Whether the form shows the decision and what informed it (once decided, or once filled in). */
  withDecision: boolean;
  replies: CitableReply[];
  values: DecisionTextValues;
  errors?: FieldErrors;
  preview?: boolean;
}

/** Editing a record's text; once decided, amending it, with a reason that the history shows. */
export function EditPage(props: EditPageProps) {
  const { ctx, decision, values } = props;
  const errors = props.errors ?? {};
  const amending = decision.status === "decided";
  const heading = amending ? "Amend decision record" : "Edit decision record";
  const reasonLabel = amending ? "Reason for the amendment" : "What changed, and why";
  return (
    <DecisionFormLayout ctx={ctx} decision={decision} heading={heading} errors={errors}>
      <p class="lede">
        {amending
          ? "The decision has been made, so a change is an amendment: it is shown in the record's history with your reason, and sent to every server that has the record."
          : "Your changes are sent to every server that has the record, and its history shows what changed."}
      </p>
      {props.preview ? <PreviewLink /> : null}
      <form method="post" action={decisionFormPath(decision.post.id, "edit")} id={FORM_ID} novalidate>
        <ErrorSummary errors={errors} labels={{ ...LABELS, reason: reasonLabel }} />
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="version" value={values.version} />
        <p>
          Community: <strong>{props.communityName}</strong>
        </p>
        <RecordTextFields values={values} errors={errors} />
        {props.withDecision ? (
          <>
            <section aria-labelledby="decision-part-title">
              <h2 id="decision-part-title">The decision</h2>
              <DecisionPartFields values={values.part} errors={errors} />
            </section>
            <InformedByFields replies={props.replies} values={values.informedBy} error={errors.informedBy} />
          </>
        ) : null}
        <section aria-labelledby="change-title">
          <h2 id="change-title">About this change</h2>
          <ReasonField
            label={reasonLabel}
            hint={
              amending
                ? "Required. It is shown in the record's history, next to the amendment."
                : "Optional. It is shown in the record's history."
            }
            value={values.reason}
            error={errors.reason}
            required={amending}
          />
        </section>
        <div class="button-group">
          <button type="submit" name="action" value="preview" class="button button-secondary">
            Preview
          </button>
          <button type="submit" name="action" value="save" class="button">
            {amending ? "Save amendment" : "Save changes"}
          </button>
          <a href={decisionPath(decision.post.id)}>Cancel</a>
        </div>
      </form>
      {props.preview ? <DecisionPreview values={values} withDecision={props.withDecision} /> : null}
    </DecisionFormLayout>
  );
}

/** For someone with no community to record decisions in: what they need, and whom to ask. */
export function NoDecisionCommunityPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="You cannot propose decisions yet">
      <h1>You cannot propose decisions yet</h1>
      <p class="lede">Decision records belong to a community, and you are not yet a member of one with the right to publish.</p>
      <p>
        Ask the administrator or a facilitator of your team's community to add you as a member. Observers can read and reply, but cannot
        publish.
      </p>
      <ul class="link-list">
        <li>
          <a href={DECISIONS_PATH}>See the decisions recorded on this instance</a>
        </li>
      </ul>
    </Layout>
  );
}

const pageTitle = (heading: string, errors: FieldErrors, preview?: boolean) =>
  Object.keys(errors).length > 0 ? `Error: ${heading}` : preview ? `Preview: ${heading}` : heading;

function CommunitySelect(props: { communities: Community[]; value: string; error?: string }) {
  const hint = "Where the record is published: it appears in this community's decision register, and its followers get it.";
  return (
    <Field name="community" label="Community" hint={hint} error={props.error}>
      <select
        id="community"
        name="community"
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy("community", hint, props.error)}
      >
        {props.communities.map((c) => (
          <option value={c.handle} selected={c.handle === props.value}>
            {c.displayName} (@{c.handle})
          </option>
        ))}
      </select>
    </Field>
  );
}

/** The record's own text, the same when proposing and editing. */
function RecordTextFields({ values, errors }: { values: DecisionTextValues; errors: FieldErrors }) {
  return (
    <>
      <TextInput
        name="title"
        label="Title"
        hint="A short name for the decision, like: Move the bins service to the shared platform."
        value={values.title}
        error={errors.title}
        required
      />
      <TextArea
        name="question"
        label="Question"
        hint="What is being decided, in a sentence. While the record is proposed or open for comment, this is what Mastodon users see, so make it stand on its own."
        value={values.question}
        error={errors.question}
        rows={2}
        required
      />
      <TextArea
        name="context"
        label="Context"
        hint="The background: what prompts the decision, what constrains it, what is known. Markdown: **bold**, [a link](https://example.org), a blank line between paragraphs, lines starting with - for a list."
        value={values.context}
        error={errors.context}
        rows={10}
        required
      />
      <TextInput
        name="tags"
        label="Tags"
        hint="Optional. Single words, separated by commas or spaces, like: bins, platforms"
        value={values.tags}
        error={errors.tags}
      />
      <OptionFields options={values.options} error={errors.options} />
    </>
  );
}

const isFilled = (option: DecisionOption) => option.title.trim() !== "" || option.description.trim() !== "";

function OptionFields({ options, error }: { options: DecisionOption[]; error?: string }) {
  const slots = Math.max(options.length, Math.min(MAX_OPTION_SLOTS, Math.max(OPTION_SLOTS, options.filter(isFilled).length + 1)));
  return (
    <section id="options" aria-labelledby="options-title">
      <h2 id="options-title">Options considered</h2>
      <p class="hint">
        Optional. The choices on the table: a short name for each, and what it would mean (Markdown works). Leave the slots you do not need
        empty.
      </p>
      {error ? (
        <p class="field-error">
          <span class="visually-hidden">Error: </span>
          {sentence(error)}
        </p>
      ) : null}
      {Array.from({ length: slots }, (_, i) => (
        <fieldset class="decision-slot">
          <legend>Option {i + 1}</legend>
          <TextInput name={optionTitle(i + 1)} label="Name" value={options[i]?.title ?? ""} />
          <TextArea name={optionDescription(i + 1)} label="Description" value={options[i]?.description ?? ""} rows={4} />
        </fieldset>
      ))}
    </section>
  );
}

/** The preview is below the form, where the text it shows was typed; this says so at the top. */
function PreviewLink() {
  return (
    <div class="notice" role="status">
      <p>
        Nothing has been stored yet. <a href="#preview">See the preview below the form</a>.
      </p>
    </div>
  );
}

/** The record's text as its page will show it; nothing is stored. */
function DecisionPreview({ values, withDecision }: { values: DecisionTextValues; withDecision: boolean }) {
  const options = values.options.filter(isFilled);
  return (
    <section class="preview" id="preview" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      <p class="hint">This is how the record's text will read. Nothing has been stored yet: use the buttons above the preview to go on.</p>
      <p class="preview-title">{values.title || "(No title yet)"}</p>
      {values.question ? <p class="summary">{values.question}</p> : null}
      <PreviewText heading="Context" markdown={values.context} />
      {options.length > 0 ? (
        <>
          <h3>Options considered</h3>
          <ul class="record-options">
            {options.map((option) => (
              <li>
                <p>
                  <strong>{option.title}</strong>
                </p>
                <div class="prose">{raw(renderMarkdown(option.description))}</div>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {withDecision ? (
        <>
          <PreviewText heading="Decision" markdown={values.part.decision} />
          <PreviewText heading="Rationale" markdown={values.part.rationale} />
          <PreviewText heading="Consequences" markdown={values.part.consequences} />
        </>
      ) : null}
    </section>
  );
}

function PreviewText({ heading, markdown }: { heading: string; markdown: string }) {
  if (!markdown.trim()) return null;
  return (
    <>
      <h3>{heading}</h3>
      <div class="prose">{raw(renderMarkdown(markdown))}</div>
    </>
  );
}
