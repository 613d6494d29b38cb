import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { forbidden, notFound } from "../../domain/errors.ts";
import { isoWeekOf } from "../../domain/iso-week.ts";
import type { Actor, Post } from "../../domain/types.ts";
import type { WeeknoteInput } from "../../services/weeknotes.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import type { FieldErrors } from "../pages/components.tsx";
import { ComposePage, NoCommunityPage } from "../pages/compose-page.tsx";
import { DeletePage } from "../pages/delete-page.tsx";
import { DraftsPage } from "../pages/drafts-page.tsx";
import type { FormTarget, WeeknoteFormValues } from "../pages/weeknote-form.tsx";
import type { Render } from "../render.ts";
import { formProblem, formText } from "./forms.ts";
import { namesFor, publishableCommunities } from "./page-data.ts";
import type { PostPageFor } from "./public.tsx";
import { askedFor, signInFirst } from "./sign-in-first.ts";
import { readWeeknoteForm, type WeeknoteSubmission } from "./weeknote-form-input.ts";

const toInput = (values: WeeknoteFormValues): WeeknoteInput => ({
  title: values.title,
  summary: values.summary,
  body: values.body,
  tags: values.tags,
  week: values.week,
  images: values.images.map((m) => m.id),
});

/** Writing: compose, preview, drafts, edit, delete, and replying from a weeknote's page. */
export function composeRoutes({ services, config }: WebDeps, render: Render, postPageFor: PostPageFor) {
  const app = new Hono<WebEnv>();
  app.use("/compose", signInFirst(askedFor("/compose")));
  app.use("/drafts", signInFirst(askedFor("/drafts")));
  for (const path of ["/posts/:id/edit", "/posts/:id/delete"])
    app.use(
      path,
      signInFirst((c) => c.req.path),
    );
  // A reply form lives on the weeknote's page.
  app.use(
    "/posts/:id/replies",
    signInFirst((c) => c.req.path.replace(/\/replies$/, "")),
  );

  /** A weeknote this person may change: missing ones are 404, other people's 403. */
  async function editablePost(id: string, viewer: Actor): Promise<Post> {
    const post = await services.store.posts.findById(id);
    if (!post || post.kind !== "weeknote" || post.state === "deleted") throw notFound("There is no such weeknote.");
    if (!(await services.weeknotes.mayEdit(post.id, viewer))) {
      throw forbidden("Only its author, or a facilitator or administrator of its community, can change this weeknote.");
    }
    return post;
  }

  /**
   * What both forms do with a submission: show image problems, or the
   * preview, or save it through `save` and go to where it now is.
   */
  async function handleSubmission(
    c: Context<WebEnv>,
    submission: WeeknoteSubmission,
    show: (
      values: WeeknoteFormValues,
      status: ContentfulStatusCode,
      errors?: FieldErrors,
      preview?: boolean,
    ) => Response | Promise<Response>,
    save: (input: WeeknoteInput) => Promise<Post>,
  ) {
    const { values, errors } = submission;
    if (Object.keys(errors).length > 0) return show(values, 400, errors);
    if (submission.action === "preview") return show(values, 200, {}, true);
    try {
      const post = await save(toInput(values));
      return c.redirect(post.state === "published" ? `/posts/${post.id}` : "/drafts", 303);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return show(values, status, errors);
    }
  }

  app.get("/compose", async (c) => {
    const viewer = c.get("viewer")!;
    const communities = await publishableCommunities(services, viewer);
    if (communities.length === 0) return render(c, (ctx) => <NoCommunityPage ctx={ctx} />, 403);
    const asked = communities.find((x) => x.handle === c.req.query("community"));
    const values: WeeknoteFormValues = {
      community: (asked ?? communities[0]!).handle,
      title: "",
      week: isoWeekOf(new Date()),
      summary: "",
      body: "",
      tags: "",
      images: [],
      slotAlts: [],
    };
    return render(c, (ctx) => <ComposePage ctx={ctx} target={{ kind: "new", communities }} values={values} />);
  });

  app.post("/compose", async (c) => {
    const viewer = c.get("viewer")!;
    const communities = await publishableCommunities(services, viewer);
    if (communities.length === 0) return render(c, (ctx) => <NoCommunityPage ctx={ctx} />, 403);
    const community = await formText(c, "community");
    // Checked before any upload: a forged community should not leave files behind.
    if (community && !communities.some((x) => x.handle === community)) throw forbidden(`You may not publish in @${community}.`);

    const submission = await readWeeknoteForm(services, viewer, c, null);
    if (!community) submission.errors.community = "choose a community";
    const target: FormTarget = { kind: "new", communities };
    return handleSubmission(
      c,
      submission,
      (values, status, errors, preview) =>
        render(c, (ctx) => <ComposePage ctx={ctx} target={target} values={values} errors={errors} preview={preview} />, status),
      (input) => services.weeknotes.publish(community, viewer, input, { draft: submission.action !== "publish" }),
    );
  });

  app.get("/drafts", async (c) => {
    const viewer = c.get("viewer")!;
    const drafts = await services.weeknotes.drafts(viewer);
    const names = await namesFor(services, drafts);
    return render(c, (ctx) => <DraftsPage ctx={ctx} drafts={drafts} names={names} />);
  });

  /** The edit form's fixed parts: where it posts, the community it is in, which buttons. */
  async function editTarget(post: Post): Promise<FormTarget> {
    const community = post.communityId === null ? null : await services.store.actors.findById(post.communityId);
    return { kind: "edit", postId: post.id, communityName: community?.displayName ?? null, isDraft: post.state === "draft" };
  }

  app.get("/posts/:id/edit", async (c) => {
    const viewer = c.get("viewer")!;
    const post = await editablePost(c.req.param("id"), viewer);
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

  app.post("/posts/:id/edit", async (c) => {
    const viewer = c.get("viewer")!;
    const post = await editablePost(c.req.param("id"), viewer);
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

  app.get("/posts/:id/delete", async (c) => {
    const viewer = c.get("viewer")!;
    const post = await editablePost(c.req.param("id"), viewer);
    return render(c, (ctx) => <DeletePage ctx={ctx} post={post} />);
  });

  app.post("/posts/:id/delete", async (c) => {
    const viewer = c.get("viewer")!;
    const post = await editablePost(c.req.param("id"), viewer);
    await services.weeknotes.delete(post.id, viewer);
    if (post.state === "draft") return c.redirect("/drafts", 303);
    const community = post.communityId === null ? null : await services.store.actors.findById(post.communityId);
    return c.redirect(community ? `/@${community.handle}` : "/", 303);
  });

  app.post("/posts/:id/replies", async (c) => {
    const id = c.req.param("id");
    const viewer = c.get("viewer")!;
    const post = await services.store.posts.findById(id);
    if (!post || post.kind !== "weeknote" || post.state !== "published") throw notFound("There is no such weeknote to reply to.");
    const text = await formText(c, "body");
    try {
      await services.interactions.reply(viewer, new URL(`/posts/${post.id}`, config.origin).href, text);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return render(c, await postPageFor(post, viewer, { body: text, errors }), status);
    }
    return c.redirect(`/posts/${post.id}#replies-title`, 303);
  });

  return app;
}
