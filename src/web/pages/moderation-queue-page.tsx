import { raw } from "hono/html";
import { localPostPath, MODERATION_PATH } from "../../domain/urls.ts";
import type { HeldQueue } from "../../services/replies.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, DateText, ErrorSummary, type FieldErrors, Notice, RemoteLink, TextArea } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { REPORTS_PATH } from "./reports-page.tsx";

export interface ModerationQueuePageProps {
  ctx: PageContext;
  queue: HeldQueue;
  notice?: string;
  errors?: FieldErrors;
}

/**
 * The replies waiting for approval in the communities the person moderates
 * (every community, for the instance's administrators), oldest first, each
 * with the post it answers and the forms to approve or refuse it.
 */
export function ModerationQueuePage({ ctx, queue, notice, errors = {} }: ModerationQueuePageProps) {
  return (
    <Layout ctx={ctx} title="Replies waiting for approval">
      <h1>Replies waiting for approval</h1>
      <Notice message={notice} />
      <ErrorSummary errors={errors} labels={{ reason: "Reason", reply: "Reply" }} />
      <p>
        These replies came from people new to a community whose replies are held. An approved reply appears under its post and its author's
        server is told; a refused one is deleted and its author's server is told. Both are kept in the moderation log. Reports are on the{" "}
        <a href={REPORTS_PATH}>reports page</a>.
      </p>
      {queue.replies.length === 0 ? (
        <p class="secondary">No replies are waiting.</p>
      ) : (
        <ol class="reports">
          {queue.replies.map((reply, i) => {
            const post = queue.posts.get(reply.postId);
            const community = post?.communityId ? queue.communities.get(post.communityId) : undefined;
            const title = `held-${i + 1}-title`;
            const author = reply.author?.handle ?? reply.author?.uri ?? "Someone on the fediverse";
            return (
              <li>
                <article aria-labelledby={title}>
                  <h2 id={title}>
                    <RemoteLink href={reply.author?.url} or={reply.author?.uri}>
                      {reply.author?.name ?? author}
                    </RemoteLink>{" "}
                    <span class="secondary">{reply.author?.handle ?? ""}</span>
                  </h2>
                  <p class="meta">
                    {post ? (
                      <>
                        Replying to <a href={localPostPath(post)}>{post.title ?? "a reply"}</a>
                      </>
                    ) : null}
                    {community ? <> in {community.displayName}</> : null} · <DateText date={reply.publishedAt} />
                  </p>
                  <div class="prose snapshot">{raw(reply.contentHtml)}</div>
                  <div class="report-actions">
                    <form method="post" action={`${MODERATION_PATH}/replies/approve`}>
                      <CsrfField token={ctx.csrfToken} />
                      <input type="hidden" name="reply" value={reply.uri} />
                      <button type="submit" class="button">
                        Approve
                      </button>
                    </form>
                  </div>
                  <form method="post" action={`${MODERATION_PATH}/replies/refuse`}>
                    <CsrfField token={ctx.csrfToken} />
                    <input type="hidden" name="reply" value={reply.uri} />
                    <TextArea name="reason" id={`reason-${i + 1}`} label="Reason" hint="Optional; kept in the moderation log." rows={2} />
                    <button type="submit" class="button">
                      Refuse
                    </button>
                  </form>
                </article>
              </li>
            );
          })}
        </ol>
      )}
    </Layout>
  );
}
