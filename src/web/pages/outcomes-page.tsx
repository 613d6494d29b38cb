import { raw } from "hono/html";
import type { Decision } from "../../domain/decisions.ts";
import { OUTCOME_KINDS, OUTCOME_LABELS, type OutcomeKind } from "../../domain/outcomes.ts";
import { decisionOutcomesPath, decisionPath } from "../../domain/urls.ts";
import { type ConsultationReply, withoutOutcome } from "../../services/consultation-input.ts";
import { CsrfField, DateText, ErrorSummary, type FieldErrors, Notice, RemoteLink, TextArea, TextInput, sentence } from "./components.tsx";
import type { PageContext } from "./context.ts";
import { Layout } from "./layout.tsx";
import { OutcomeLine } from "./outcome-parts.tsx";

/** What the form had, shown again with its problems. */
export interface OutcomeValues {
  replies: string[];
  kind: string;
  note: string;
  referTo: string;
}

const HINTS: Record<OutcomeKind, string> = {
  acknowledged: "Read and recorded. A note is optional.",
  informed: "It shaped the decision: it is cited in the record, with your note of how.",
  referred: "Another community is better placed to act on it: name it below.",
  "not-used": "Say why in the note: its author reads it.",
};

const LABELS = { replies: "Replies", kind: "Outcome", note: "Note", referTo: "Refer to" };

/**
 * Setting what became of a record's replies: choose one or several, one
 * outcome and its note. Each reply's author is answered in public, and an
 * answer is changed in place when the outcome changes.
 */
export function OutcomesPage(props: {
  ctx: PageContext;
  decision: Decision;
  replies: ConsultationReply[];
  values?: OutcomeValues;
  errors?: FieldErrors;
  done?: boolean;
}) {
  const { ctx, decision, replies } = props;
  const errors = props.errors ?? {};
  const values = props.values ?? { replies: [], kind: "", note: "", referTo: "" };
  const title = decision.post.title ?? "Decision record";
  const failed = Object.keys(errors).length > 0;
  const pending = withoutOutcome(replies).length;
  return (
    <Layout ctx={ctx} title={`${failed ? "Error: " : ""}Outcomes of the replies to ${title}`}>
      <p class="back-link">
        <a href={decisionPath(decision.post.id)}>Back to the record “{title}”</a>
      </p>
      <h1>Outcomes of the replies</h1>
      <Notice message={props.done ? "The outcomes are saved, and each reply's author is told in a public reply." : undefined} />
      <p>
        Every reply received while “{title}” was open for comment gets an outcome, and its author is told in a public reply that mentions
        them, on their own server. Changing an outcome edits that reply; it is never sent twice.
      </p>
      <p class="meta">
        {pending === 0
          ? "Every reply received during the consultation has an outcome."
          : `${pending} ${pending === 1 ? "reply" : "replies"} received during the consultation without an outcome yet.`}
      </p>
      <ErrorSummary errors={errors} labels={LABELS} />
      {replies.length === 0 ? (
        <p class="secondary">This record has no replies yet.</p>
      ) : (
        <form method="post" action={decisionOutcomesPath(decision.post.id)} id="outcomes-form" class="outcomes-form">
          <CsrfField token={ctx.csrfToken} />
          <fieldset id="replies" aria-describedby={errors.replies ? "replies-error" : undefined}>
            <legend>Choose the replies</legend>
            {errors.replies ? (
              <span class="field-error" id="replies-error">
                <span class="visually-hidden">Error: </span>
                {sentence(errors.replies)}
              </span>
            ) : null}
            <ul class="outcome-replies">
              {replies.map((reply, i) => (
                <li>
                  <div class="checkbox">
                    <input
                      type="checkbox"
                      id={`reply-${i}`}
                      name="replies"
                      value={reply.uri}
                      checked={values.replies.includes(reply.uri)}
                    />
                    <label for={`reply-${i}`}>
                      {reply.author?.name ?? "Someone"} <span class="handle">{reply.author?.handle ?? ""}</span>,{" "}
                      <DateText date={reply.publishedAt} />
                      {reply.duringConsultation || !decision.consultationClosesAt ? null : " (after the consultation closed)"}
                    </label>
                  </div>
                  <div class="prose reply-excerpt">{raw(reply.contentHtml)}</div>
                  <p class="meta">
                    <RemoteLink href={reply.url}>Read the reply where it was written</RemoteLink>
                  </p>
                  <OutcomeLine outcome={reply.outcome} />
                </li>
              ))}
            </ul>
          </fieldset>
          <fieldset id="kind" aria-describedby={errors.kind ? "kind-error" : undefined}>
            <legend>Give them this outcome</legend>
            {errors.kind ? (
              <span class="field-error" id="kind-error">
                <span class="visually-hidden">Error: </span>
                {sentence(errors.kind)}
              </span>
            ) : null}
            {OUTCOME_KINDS.map((kind) => (
              <div class="radio">
                <input
                  type="radio"
                  id={`kind-${kind}`}
                  name="kind"
                  value={kind}
                  checked={values.kind === kind}
                  aria-describedby={`kind-${kind}-hint`}
                />
                <label for={`kind-${kind}`}>{OUTCOME_LABELS[kind]}</label>
                <span class="hint" id={`kind-${kind}-hint`}>
                  {HINTS[kind]}
                </span>
              </div>
            ))}
          </fieldset>
          <TextArea
            name="note"
            label="Note"
            rows={3}
            value={values.note}
            error={errors.note}
            hint="How it informed the decision, or why it was not used (both required). Its author reads it."
          />
          <TextInput
            name="referTo"
            label="Refer to (for “Referred”)"
            value={values.referTo}
            error={errors.referTo}
            hint="@team for a community here; @team@server.example, or its address, for one elsewhere."
          />
          <button type="submit" class="button">
            Give the chosen replies this outcome
          </button>
        </form>
      )}
    </Layout>
  );
}
