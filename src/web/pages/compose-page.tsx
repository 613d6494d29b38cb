import { raw } from "hono/html";
import { renderMarkdown } from "../../domain/markdown.ts";
import type { PageContext } from "./context.ts";
import { Attachments, type FieldErrors } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { WeeknoteForm, type FormTarget, type WeeknoteFormValues } from "./weeknote-form.tsx";

export interface ComposePageProps {
  ctx: PageContext;
  target: FormTarget;
  /** The weeknote's title as saved, when editing (the heading should not change as the title field is edited). */
  savedTitle?: string;
  values: WeeknoteFormValues;
  errors?: FieldErrors;
  /** Show how the text will look, above the form. */
  preview?: boolean;
}

/** Writing a new weeknote or editing one: the form, and the preview when asked for. */
export function ComposePage(props: ComposePageProps) {
  const { ctx, target, values } = props;
  const errors = props.errors ?? {};
  const heading = target.kind === "new" ? "Write a weeknote" : `Edit ‘${props.savedTitle ?? values.title}’`;
  const title = Object.keys(errors).length > 0 ? `Error: ${heading}` : props.preview ? `Preview: ${heading}` : heading;
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{heading}</h1>
      {target.kind === "edit" && !target.isDraft ? (
        <p class="lede">Saving sends the changes to every server that received this weeknote.</p>
      ) : null}
      {props.preview ? <Preview values={values} /> : null}
      <WeeknoteForm ctx={ctx} target={target} values={values} errors={errors} />
    </Layout>
  );
}

/** The weeknote as its page will show it; nothing is saved until a draft is saved or it is published. */
function Preview({ values }: { values: WeeknoteFormValues }) {
  return (
    <section class="preview" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      <p class="hint">This is how your weeknote will look. Nothing has been saved yet: save it as a draft or publish it below.</p>
      <p class="preview-title">{values.title || "(No title yet)"}</p>
      {values.summary ? <p class="summary">{values.summary}</p> : null}
      <div class="prose">{raw(renderMarkdown(values.body))}</div>
      <Attachments media={values.images} />
    </section>
  );
}

/** For someone with no community to publish in: what they need, and whom to ask. */
export function NoCommunityPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="You cannot write weeknotes yet">
      <h1>You cannot write weeknotes yet</h1>
      <p class="lede">Weeknotes are published in a community, and you are not yet a member of one with the right to publish.</p>
      <p>
        Ask the administrator or a facilitator of your team's community to add you as a member. Observers can read and reply, but cannot
        publish.
      </p>
      <ul class="link-list">
        <li>
          <a href="/">See the communities on this instance</a>
        </li>
      </ul>
    </Layout>
  );
}
