import { raw } from "hono/html";
import { OUTCOME_LABELS, referralHandle, type InputOutcome } from "../../domain/outcomes.ts";
import { decisionPath, INPUT_PATH } from "../../domain/urls.ts";
import type { AuthorInput, InputEntry } from "../../services/inputs.ts";
import type { PageContext } from "./context.ts";
import { DateText, ErrorSummary, RemoteLink, TextInput, type FieldErrors } from "./components.tsx";
import { StatusTag } from "./decision-parts.tsx";
import { Layout } from "./layout.tsx";

interface InputPageProps {
  ctx: PageContext;
  /** The handle as typed, to show in the form again. */
  author: string;
  /** What was found, once a valid handle was given. */
  input?: AuthorInput;
  errors?: FieldErrors;
}

const HEADING = "Your input and its outcomes";

/** A reply's outcome in words: its kind, where it was referred, and the note that goes with it. */
export function outcomeWords(outcome: InputOutcome | null): string {
  if (!outcome?.kind) return "No outcome yet";
  const label =
    outcome.kind === "referred" && outcome.referral
      ? `${OUTCOME_LABELS.referred} to ${outcome.referral.name ?? referralHandle(outcome.referral.target)}`
      : OUTCOME_LABELS[outcome.kind];
  return outcome.note ? `${label}: ${outcome.note}` : label;
}

/** Where someone who replied to consultations here finds every reply they made, and what became of each. */
export function InputPage({ ctx, author, input, errors }: InputPageProps) {
  const failed = errors !== undefined && Object.keys(errors).length > 0;
  return (
    <Layout ctx={ctx} title={failed ? `Error: ${HEADING}` : input ? `Input by ${input.handle}` : HEADING}>
      <h1>{HEADING}</h1>
      <p class="lede">
        Everything you replied to the decision records of {ctx.instanceName}, and what became of each reply: whether it informed the
        decision, was referred to another community, or was not used, and why.
      </p>
      <form method="get" action={INPUT_PATH} novalidate>
        {failed ? <ErrorSummary errors={errors} labels={{ author: "Your handle" }} /> : null}
        <TextInput
          name="author"
          label="Your handle"
          hint={`The handle you replied from, like @name@server.example, or @name if your account is on ${ctx.host}.`}
          value={author}
          error={errors?.author}
          spellcheck={false}
        />
        <div class="button-group">
          <button type="submit" class="button">
            Find my input
          </button>
        </div>
      </form>
      {input ? <Found input={input} /> : null}
    </Layout>
  );
}

function Found({ input }: { input: AuthorInput }) {
  return (
    <section aria-labelledby="found-title">
      <h2 id="found-title">
        Input by <span class="handle">{input.handle}</span>
      </h2>
      {input.entries.length === 0 ? (
        <p>No replies by {input.handle} to decision records here.</p>
      ) : (
        <>
          <p class="secondary">
            {input.more
              ? `The latest ${input.entries.length} replies, newest first; there are more.`
              : `${input.entries.length} ${input.entries.length === 1 ? "reply" : "replies"}, newest first.`}
          </p>
          <ol class="replies input-list">
            {input.entries.map((entry, i) => (
              <Entry entry={entry} id={`input-${i + 1}`} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

/** One reply: the record it answered, its status, when, the reply itself, and its outcome. */
function Entry({ entry, id }: { entry: InputEntry; id: string }) {
  const { record } = entry;
  return (
    <li class="reply">
      <article aria-labelledby={id}>
        <h3 id={id}>
          <a href={decisionPath(record.id)}>{record.title}</a>
        </h3>
        <p class="meta">
          <StatusTag status={record.status} /> · replied{" "}
          <RemoteLink href={entry.url} or={entry.uri}>
            <DateText date={entry.publishedAt} />
          </RemoteLink>
        </p>
        <div class="prose">{raw(entry.contentHtml)}</div>
        <p class="input-outcome">
          <strong>Outcome:</strong> {outcomeWords(entry.outcome)}
        </p>
      </article>
    </li>
  );
}
