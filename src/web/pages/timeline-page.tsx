import { raw } from "hono/html";
import type { RemoteActor, RemotePost } from "../../domain/types.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, DateText, ErrorSummary, RemoteLink, TextArea, TextInput, type FieldErrors, Notice } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { RemoteDecisionRecord } from "./remote-decision.tsx";

export interface TimelinePageProps {
  ctx: PageContext;
  posts: RemotePost[];
  following: RemoteActor[];
  /** The communities elsewhere the viewer moderates: their names by their URIs. */
  moderated: Map<string, string>;
  notice?: string;
  /** The follow form's text and errors, when it is shown again. */
  follow?: { target: string; errors: FieldErrors };
  /** A reply form's text and errors, by the post it answers. */
  reply?: { inReplyTo: string; body: string; errors: FieldErrors };
}

/** What the accounts you follow have published elsewhere, with a way to reply, and a way to follow more. */
export function TimelinePage(props: TimelinePageProps) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title="Following">
      <h1>Following</h1>
      <Notice message={props.notice} />
      <div class="two-columns">
        <section aria-labelledby="posts-title">
          <h2 id="posts-title">From the accounts you follow</h2>
          {props.posts.length === 0 ? (
            <p class="secondary">Nothing yet. Follow someone, and what they publish from now on appears here.</p>
          ) : (
            <ol class="post-list">
              {props.posts.map((post, i) => (
                <li>
                  <RemotePostItem
                    post={post}
                    index={i}
                    ctx={ctx}
                    reply={props.reply?.inReplyTo === post.uri ? props.reply : undefined}
                    moderated={post.announcedBy ? props.moderated.get(post.announcedBy) : undefined}
                  />
                </li>
              ))}
            </ol>
          )}
        </section>
        <aside>
          <section aria-labelledby="follow-title">
            <h2 id="follow-title">Follow someone</h2>
            <form method="post" action="/timeline/follows">
              <CsrfField token={ctx.csrfToken} />
              {props.follow ? <ErrorSummary errors={props.follow.errors} labels={{ target: "Account" }} /> : null}
              <TextInput
                name="target"
                label="Account"
                hint="Their address, like @team@digital.example.gov, or the link to their profile."
                value={props.follow?.target}
                error={props.follow?.errors.target}
                spellcheck={false}
              />
              <div class="button-group">
                <button type="submit" class="button">
                  Follow
                </button>
              </div>
            </form>
          </section>
          <section aria-labelledby="following-title">
            <h2 id="following-title">You follow</h2>
            {props.following.length === 0 ? (
              <p class="secondary">No one yet.</p>
            ) : (
              <ul class="link-list">
                {props.following.map((actor) => (
                  <li>
                    <RemoteLink href={actor.url} or={actor.uri}>
                      {actor.name ?? actor.handle ?? actor.uri}
                    </RemoteLink>
                    {actor.handle ? (
                      <>
                        <br />
                        <span class="handle secondary">{actor.handle}</span>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </aside>
      </div>
    </Layout>
  );
}

function RemotePostItem({
  post,
  index,
  ctx,
  reply,
  moderated,
}: {
  post: RemotePost;
  index: number;
  ctx: PageContext;
  reply?: { body: string; errors: FieldErrors };
  /** The name of the community elsewhere that boosted it, when the viewer moderates that community. */
  moderated?: string;
}) {
  const author = post.author;
  const field = `reply-${index}`;
  const title = post.name ?? `A post by ${author?.name ?? author?.handle ?? "someone"}`;
  return (
    <article aria-labelledby={`post-${index}-title`}>
      <h3 id={`post-${index}-title`}>
        <RemoteLink href={post.url} or={post.uri}>
          {title}
        </RemoteLink>
      </h3>
      <p class="meta">
        {author ? (
          <RemoteLink href={author.url} or={author.uri}>
            {author.name ?? author.handle}
          </RemoteLink>
        ) : (
          "Someone"
        )}
        {author?.handle ? (
          <>
            {" "}
            <span class="handle">{author.handle}</span>
          </>
        ) : null}{" "}
        · <DateText date={post.publishedAt} />
      </p>
      {post.summary ? <p class="summary">{post.summary}</p> : null}
      {post.decision ? <RemoteDecisionRecord decision={post.decision} /> : null}
      {post.name ? null : <div class="prose">{raw(post.contentHtml)}</div>}
      {moderated && post.announcedBy ? (
        <form method="post" action="/timeline/withdraw" class="button-group">
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="community" value={post.announcedBy} />
          <input type="hidden" name="post" value={post.uri} />
          <button type="submit" class="button button-secondary">
            Take out of {moderated}
            <span class="visually-hidden">: {title}</span>
          </button>
        </form>
      ) : null}
      <details open={reply ? true : undefined}>
        <summary>Reply</summary>
        <form method="post" action="/timeline/replies">
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="inReplyTo" value={post.uri} />
          <TextArea
            name="body"
            id={field}
            label="Your reply"
            value={reply?.body}
            error={reply?.errors.body}
            rows={4}
            hint="Markdown works. Replies are public."
          />
          <div class="button-group">
            <button type="submit" class="button">
              Send reply
            </button>
          </div>
        </form>
      </details>
    </article>
  );
}
