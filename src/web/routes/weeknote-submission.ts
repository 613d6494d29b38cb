import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Post } from "../../domain/types.ts";
import { postPath } from "../../domain/urls.ts";
import type { WeeknoteInput } from "../../services/weeknotes.ts";
import type { WebEnv } from "../env.ts";
import type { FieldErrors } from "../pages/components.tsx";
import type { WeeknoteFormValues } from "../pages/weeknote-form.tsx";
import { formProblem } from "./forms.ts";
import type { WeeknoteSubmission } from "./weeknote-form-input.ts";

const toInput = (values: WeeknoteFormValues): WeeknoteInput => ({
  title: values.title,
  summary: values.summary,
  body: values.body,
  tags: values.tags,
  week: values.week,
  images: values.images.map((m) => m.id),
});

/** Shows the weeknote form again: with what was sent, a status, its problems, and the preview if asked for. */
export type ShowWeeknoteForm = (
  values: WeeknoteFormValues,
  status: ContentfulStatusCode,
  errors?: FieldErrors,
  preview?: boolean,
) => Response | Promise<Response>;

/**
 * What both weeknote forms (new and edited) do with a submission: show
 * image problems, or the preview, or save it through `save` and go to
 * where it now is.
 */
export async function handleSubmission(
  c: Context<WebEnv>,
  submission: WeeknoteSubmission,
  show: ShowWeeknoteForm,
  save: (input: WeeknoteInput) => Promise<Post>,
) {
  const { values, errors } = submission;
  if (Object.keys(errors).length > 0) return show(values, 400, errors);
  if (submission.action === "preview") return show(values, 200, {}, true);
  try {
    const post = await save(toInput(values));
    // The page it goes to says what was done.
    if (post.state !== "published") return c.redirect("/drafts?done=saved", 303);
    return c.redirect(`${postPath(post.id)}?done=${submission.action === "publish" ? "published" : "saved"}`, 303);
  } catch (error) {
    const { status, errors } = formProblem(error);
    return show(values, status, errors);
  }
}
