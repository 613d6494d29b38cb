import { raw } from "hono/html";
import type { Following, RemotePost } from "../../domain/types.ts";
import { FOLLOWS_PATH } from "../../domain/urls.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, DateText, ErrorSummary, RemoteLink, TextArea, TextInput, type FieldErrors, Notice } from "./components.tsx";
import { FollowingItem } from "./follows-page.tsx";
import { Layout } from "./layout.tsx";
import type { Neighbours } from "../../domain/paging.ts";
import { PagingLinks } from "./paging-links.tsx";
import { ReactionButtons } from "./reaction-buttons.tsx";
import { RemoteDecisionRecord } from "./remote-decision.tsx";

export interface TimelinePageProps {
  ctx: PageContext;
  posts: RemotePost[];
  /** The older and newer pages of posts. */
  pages: Neighbours;
  /** This page's address, for buttons to come back to. */
  here: string;
  /** The posts the viewer liked and boosted, by URI. */
  reacted: { liked: Set<string>; boosted: Set<string> };
  following: Following[];
  /** Whether they follow more accounts than are listed (all are on the follows page). */
  moreFollowing: boolean;
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
                    reacted={{ liked: props.reacted.liked.has(post.uri), boosted: props.reacted.boosted.has(post.uri) }}
                    here={props.here}
                    moderated={post.announcedBy ? props.moderated.get(post.announcedBy) : undefined}
                  />
                </li>
              ))}
            </ol>
          )}
          <PagingLinks pages={props.pages} path="/timeline" label="More posts" />
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
                {props.following.map((following) => (
                  <FollowingItem ctx={ctx} following={following} back="/timeline" />
                ))}
              </ul>
            )}
            <p>
              <a href={FOLLOWS_PATH}>{props.moreFollowing ? "Everyone you follow, and your followers" : "Your follows and followers"}</a>
            </p>
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
  reacted,
  here,
}: {
  post: RemotePost;
  reacted: { liked: boolean; boosted: boolean };
  here: string;
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
        {/* Beside the name it repeats, the picture says nothing more: it is decoration to a screen reader. */}
        {author?.iconUrl ? <img class="avatar avatar-small" src={author.iconUrl} alt="" width={32} height={32} /> : null}
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
      <ReactionButtons ctx={ctx} objectUri={post.uri} title={title} liked={reacted.liked} boosted={reacted.boosted} back={here} />
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
