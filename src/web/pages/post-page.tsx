import { raw } from "hono/html";
import type { NoteOutcome } from "../../services/outcomes.ts";
import { WhatBecameOfIt } from "./outcome-parts.tsx";
import type { Post, RemoteActor } from "../../domain/types.ts";
import type { PostPage as PostPageData } from "../../services/reading.ts";
import { remoteNameOf, remotePageOf } from "../../domain/remote-actor-names.ts";
import type { PageContext } from "./context.ts";
import { Attachments, CsrfField, DateText, Notice, RemoteLink, TextArea, weekLabel, type FieldErrors } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { Thread, type ModerationProblem } from "./thread.tsx";
import {
  actorFeedPath,
  actorPath,
  localPostPath,
  postCollectionPath,
  postDeletePath,
  postEditPath,
  postPath,
  tagPath,
} from "../../domain/urls.ts";
import { reportLink } from "./reports-page.tsx";
import { ReactionButtons } from "./reaction-buttons.tsx";
import { REPLY_POLICY_NOTICES, type ReplyPolicy } from "../../domain/reply-policy.ts";

export interface PostPageProps extends PostPageData {
  ctx: PageContext;
  /** The community on another server it was published in, if it was. */
  remoteCommunity?: RemoteActor | null;
  /** The reply form's text and errors, when it is shown again. */
  reply?: { body: string; errors: FieldErrors };
  /** A hide form shown again with its problem. */
  moderationProblem?: ModerationProblem;
  /** What was just done, to confirm it. */
  notice?: string;
  /** For a note answering a decision record: what became of it, as the record's community said. */
  outcome?: NoteOutcome | null;
  /** For a signed-in viewer: the post's address, and whether they liked and boosted it. */
  reacted?: { uri: string; liked: boolean; boosted: boolean } | null;
}

export function PostPage(props: PostPageProps) {
  const { ctx, post, author, community } = props;
  const title = post.title ?? "Reply";
  const feeds = community ? [{ title: `Weeknotes in ${community.displayName}`, href: actorFeedPath(community.handle) }] : [];
  return (
    <Layout ctx={ctx} title={title} feeds={feeds} description={post.summary ?? undefined}>
      <article aria-labelledby="post-title">
        <header class="post-header">
          <h1 id="post-title">{title}</h1>
          <p class="meta">
            By <a href={actorPath(author.handle)}>{author.displayName}</a>
            {community ? (
              <>
                {" "}
                in <a href={actorPath(community.handle)}>{community.displayName}</a>
              </>
            ) : props.remoteCommunity ? (
              <>
                {" "}
                in <RemoteLink href={remotePageOf(props.remoteCommunity)}>{remoteNameOf(props.remoteCommunity)}</RemoteLink>
              </>
            ) : null}
            {post.isoWeek ? <> · {weekLabel(post.isoWeek)}</> : null}
            {post.publishedAt ? (
              <>
                {" "}
                · Published <DateText date={post.publishedAt} />
              </>
            ) : null}
            {post.updatedAt ? (
              <>
                {" "}
                · Updated <DateText date={post.updatedAt} />
              </>
            ) : null}
          </p>
        </header>
        {post.summary ? <p class="summary">{post.summary}</p> : null}
        {post.kind === "note" && post.inReplyTo ? <AnswerTo post={post} /> : null}
        <div class="prose">{raw(post.contentHtml)}</div>
        {props.outcome ? <WhatBecameOfIt outcome={props.outcome} /> : null}
        <Attachments media={props.media} />
        {post.tags.length > 0 ? (
          <section aria-labelledby="tags-title">
            <h2 id="tags-title" class="visually-hidden">
              Tags
            </h2>
            <ul class="inline-list">
              {post.tags.map((tag) => (
                <li>
                  <a class="tag" href={tagPath(tag)}>
                    #{tag}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <ul class="counts" aria-label="Reactions">
          <li>{plural(props.counts.likes, "like")}</li>
          <li>{plural(props.counts.announces, "boost")}</li>
          <li>{plural(props.replyCount, "reply", "replies")}</li>
        </ul>
        {props.reacted ? (
          <ReactionButtons
            ctx={ctx}
            objectUri={props.reacted.uri}
            title={title}
            liked={props.reacted.liked}
            boosted={props.reacted.boosted}
            back={localPostPath(post)}
          />
        ) : null}
        <p class="report-link">
          <a href={reportLink(localPostPath(post))}>Report this post</a>
        </p>
        {props.mayEdit ? (
          <p class="button-group">
            <a class="button button-secondary" href={postEditPath(post.id)}>
              Edit
            </a>
            <a class="button button-secondary" href={postDeletePath(post.id)}>
              Delete
            </a>
          </p>
        ) : null}
      </article>

      <section aria-labelledby="replies-title">
        <h2 id="replies-title">Replies</h2>
        <Notice message={props.notice} />
        {props.thread.length === 0 ? (
          <p class="secondary">No replies yet.</p>
        ) : (
          <Thread
            entries={props.thread}
            moderation={
              props.mayModerate
                ? { base: postCollectionPath(post.id, "replies"), csrfToken: ctx.csrfToken, problem: props.moderationProblem }
                : undefined
            }
          />
        )}
        <Replying
          ctx={ctx}
          action={postCollectionPath(post.id, "replies")}
          path={postPath(post.id)}
          policy={community?.replyPolicy ?? null}
          mayReply={props.mayReply}
          reply={props.reply}
        />
      </section>
    </Layout>
  );
}

/** What a note answers, and what was decided about it: hidden by a moderator here, or approved or refused by the server of a post elsewhere. */
function AnswerTo({ post }: { post: Post }) {
  const answered = post.replyAuthorization ? "Approved by the server of the post it answers." : null;
  const refused = post.replyRefusedAt ? "Not accepted by the server of the post it answers." : null;
  const hidden = post.hiddenAt ? "A moderator hid it from the thread it answers." : null;
  const said = hidden ?? answered ?? refused;
  return (
    <p class="meta reply-answer">
      In reply to <RemoteLink href={post.inReplyTo}>{post.inReplyTo}</RemoteLink>
      {said ? <> · {said}</> : null}
    </p>
  );
}

/**
 * How to reply to a post at `path`: what its community's reply policy says,
 * then the form for a signed-in person who may reply here, or how to reply
 * from elsewhere or sign in.
 */
export function Replying(props: {
  ctx: PageContext;
  action: string;
  path: string;
  policy: ReplyPolicy | null;
  mayReply: boolean;
  reply?: { body: string; errors: FieldErrors };
}) {
  const { ctx, policy } = props;
  const notice = policy ? REPLY_POLICY_NOTICES[policy] : null;
  return (
    <>
      {notice ? <p class="reply-policy">{notice}</p> : null}
      {ctx.viewer && props.mayReply ? <ReplyForm ctx={ctx} action={props.action} reply={props.reply} /> : null}
      {!ctx.viewer && policy !== "closed" ? (
        <p>
          Reply from Mastodon or any fediverse server by searching for this page's address, or{" "}
          <a href={`/sign-in?next=${props.path}`}>sign in</a> to reply here.
        </p>
      ) : null}
    </>
  );
}

/** A signed-in person's reply, posted to `action` (a weeknote's or a decision record's replies). */
export function ReplyForm({ ctx, action, reply }: { ctx: PageContext; action: string; reply?: { body: string; errors: FieldErrors } }) {
  return (
    <form method="post" action={action} id="reply-form">
      <CsrfField token={ctx.csrfToken} />
      <TextArea
        name="body"
        label="Your reply"
        hint="Markdown works. Your reply is public and goes to the author's followers across the fediverse."
        value={reply?.body}
        error={reply?.errors.body}
        rows={5}
      />
      <div class="button-group">
        <button type="submit" class="button">
          Reply
        </button>
      </div>
    </form>
  );
}

function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}
