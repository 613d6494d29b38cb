import type { Post } from "../../domain/types.ts";
import type { PageContext } from "./context.ts";
import { CsrfField } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { postDeletePath, postPath } from "../../domain/urls.ts";

/** Asks before deleting a weeknote (or a draft decision record, posted to `action`), saying what deleting does. */
export function DeletePage({ ctx, post, action }: { ctx: PageContext; post: Post; action?: string }) {
  const isDraft = post.state === "draft";
  const cancelHref = isDraft ? "/drafts" : postPath(post.id);
  return (
    <Layout ctx={ctx} title={`Delete ‘${post.title}’?`}>
      <h1>Delete ‘{post.title}’?</h1>
      <p class="lede">
        {isDraft
          ? "This draft will be removed. It was never published, so no other server has it."
          : "It will be removed here and a deletion sent to every server that received it."}
      </p>
      <p>You cannot undo this.</p>
      <form method="post" action={action ?? postDeletePath(post.id)}>
        <CsrfField token={ctx.csrfToken} />
        <div class="button-group">
          <button type="submit" class="button button-warning">
            {isDraft ? "Delete draft" : "Delete weeknote"}
          </button>
          <a href={cancelHref}>Cancel, keep it</a>
        </div>
      </form>
    </Layout>
  );
}
