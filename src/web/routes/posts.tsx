import { Hono, type Context } from "hono";
import { notFound } from "../../domain/errors.ts";
import type { Post } from "../../domain/types.ts";
import { absoluteUrl, actorPath, postPath } from "../../domain/urls.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { ComposePage } from "../pages/compose-page.tsx";
import { DeletePage } from "../pages/delete-page.tsx";
import type { FormTarget, WeeknoteFormValues } from "../pages/weeknote-form.tsx";
import type { Pages } from "../people.ts";
import { formProblem, formText } from "./forms.ts";
import { postPages } from "./post-page.tsx";
import { replyModeration } from "./reply-moderation.ts";
import { signInFirst } from "./sign-in-first.ts";
import { readWeeknoteForm } from "./weeknote-form-input.ts";
import { handleSubmission } from "./weeknote-submission.ts";

/**
 * Weeknotes (`/posts/{id}`): the page, with its replies and the form to
 * reply; editing (`/edit`) and deleting (`/delete`) it; replying (`/replies`);
 * hiding and restoring replies (`/replies/hide`, `/replies/restore`).
 */
export function postRoutes(deps: WebDeps, { render, forPeople, cached }: Pages) {
  const { services, config } = deps;
  const { show, renderPostPage } = postPages(deps, render);
  const app = new Hono<WebEnv>();
  app.use("/:id", cached);
  app.use("*", forPeople);
  for (const form of ["/:id/edit", "/:id/delete"])
    app.use(
      form,
      signInFirst((c) => c.req.path),
    );
  // A reply form lives on the weeknote's page.
  for (const form of ["/:id/replies", "/:id/replies/hide", "/:id/replies/restore"])
    app.use(
      form,
      signInFirst((c) => postPath(c.req.param("id")!)),
    );

  app.get("/:id", show("weeknote"));

  app.post("/:id/replies", async (c) => {
    const viewer = c.get("viewer")!;
    const post = await services.reading.post(c.req.param("id"), "weeknote");
    if (!post || post.state !== "published") throw notFound("There is no such weeknote to reply to.");
    const text = await formText(c, "body");
    try {
      await services.interactions.reply(viewer, absoluteUrl(config.origin, postPath(post.id)), text);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return renderPostPage(c, post, { reply: { body: text, errors } }, status);
    }
    return c.redirect(`${postPath(post.id)}#replies-title`, 303);
  });

  const moderation = replyModeration(services, {
    async load(c) {
      const post = await services.reading.post(c.req.param("id")!, "weeknote");
      if (!post || post.state !== "published") throw notFound("There is no such weeknote.");
      return post;
    },
    postId: (post) => post.id,
    path: (post) => postPath(post.id),
    again: (c, post, moderationProblem, status) => renderPostPage(c, post, { moderationProblem }, status),
  });
  app.post("/:id/replies/hide", moderation.hide);
  app.post("/:id/replies/restore", moderation.restore);

  /** The edit form's fixed parts: where it posts, the community it is in, which buttons. */
  async function editTarget(post: Post): Promise<FormTarget> {
    const community = post.communityId === null ? null : await services.actors.findById(post.communityId);
    return { kind: "edit", postId: post.id, communityName: community?.displayName ?? null, isDraft: post.state === "draft" };
  }

  /** The weeknote in the path, if the signed-in person may change it: missing ones are 404, other people's 403. */
  const editablePost = (c: Context<WebEnv>) => services.weeknotes.editable(c.req.param("id")!, c.get("viewer")!);

  app.get("/:id/edit", async (c) => {
    const post = await editablePost(c);
    const [target, images] = await Promise.all([editTarget(post), services.media.forPost(post.id)]);
    const values: WeeknoteFormValues = {
      community: "",
      title: post.title ?? "",
      week: post.isoWeek ?? "",
      summary: post.summary ?? "",
      body: post.bodyMarkdown,
      tags: post.tags.join(", "),
      images,
      slotAlts: [],
    };
    return render(c, (ctx) => <ComposePage ctx={ctx} target={target} savedTitle={post.title ?? ""} values={values} />);
  });

  app.post("/:id/edit", async (c) => {
    const viewer = c.get("viewer")!;
    const post = await editablePost(c);
    const submission = await readWeeknoteForm(services, viewer, c, post.id);
    const target = await editTarget(post);
    return handleSubmission(
      c,
      submission,
      (values, status, errors, preview) =>
        render(
          c,
          (ctx) => (
            <ComposePage ctx={ctx} target={target} savedTitle={post.title ?? ""} values={values} errors={errors} preview={preview} />
          ),
          status,
        ),
      (input) => services.weeknotes.edit(post.id, viewer, input, { publish: submission.action === "publish" }),
    );
  });

  app.get("/:id/delete", async (c) => {
    const post = await editablePost(c);
    return render(c, (ctx) => <DeletePage ctx={ctx} post={post} />);
  });

  app.post("/:id/delete", async (c) => {
    const post = await editablePost(c);
    await services.weeknotes.delete(post.id, c.get("viewer")!);
    if (post.state === "draft") return c.redirect("/drafts?done=deleted", 303);
    // Back to the community's page (or the author's, for a weeknote in none), which says the weeknote is deleted.
    const place = await services.actors.findById(post.communityId ?? post.authorId);
    return c.redirect(place ? `${actorPath(place.handle)}?deleted` : "/", 303);
  });

  return app;
}
