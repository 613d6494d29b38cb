import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { formatDay } from "../../domain/time-zone.ts";
import type { NoteOutcome } from "../../services/outcomes.ts";
import { WhatBecameOfIt } from "./outcome-parts.tsx";
import type { Post, RemoteActor } from "../../domain/types.ts";
import { webUrl } from "../../domain/web-url.ts";
import type { PostPage as PostPageData } from "../../services/reading.ts";
import type { ThreadEntry } from "../../services/threads.ts";
import { remoteNameOf, remotePageOf } from "../../domain/remote-actor-names.ts";
import type { PageContext } from "./context.ts";
import {
  Attachments,
  CsrfField,
  DateText,
  describedBy,
  Notice,
  RemoteLink,
  sentence,
  TextArea,
  weekLabel,
  type FieldErrors,
} from "./components.tsx";
import { Layout } from "./layout.tsx";
import { useTimeZone } from "./time-zone-context.tsx";
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

/** A reply's hide form shown again: which reply, the reason typed, what is wrong with it. */
export interface ModerationProblem {
  reply: string;
  reason: string;
  errors: FieldErrors;
}

/** For those who may moderate a thread: where its hide and restore forms post, and a form shown again. */
export interface ThreadModeration {
  /** The forms post to `{base}/hide` and `{base}/restore`. */
  base: string;
  csrfToken: string;
  problem?: ModerationProblem;
}

/** What was just done to a reply, confirmed after the redirect (`?done=`). */
export const REPLY_MODERATION_DONE: Record<string, string> = {
  hidden: "The reply is hidden. Only those who moderate it see it now, and the moderation log keeps why.",
  restored: "The reply is shown again.",
};

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

/**
 * Replies as nested lists, each under what it answers; also the decision
 * page's. For those who may moderate them, each reply from elsewhere has a
 * form to hide it (with a reason) or, once hidden, to restore it.
 *
 * Written as one template rather than a tree of components: a long thread is
 * most of its page, and the same markup is built several times faster so.
 */
export function Thread({ entries, moderation, path = "reply" }: { entries: ThreadEntry[]; moderation?: ThreadModeration; path?: string }) {
  const zone = useTimeZone();
  // Moderators get forms with their own tokens: rendered for each of them.
  if (moderation) return replies(entries, moderation, path, zone);
  const key = `${path} ${zone}`;
  const kept = renderedThreads.get(entries)?.get(key);
  if (kept) return kept;
  const rendered = replies(entries, undefined, path, zone);
  if (!(rendered instanceof Promise)) renderedThreads.set(entries, (renderedThreads.get(entries) ?? new Map()).set(key, rendered));
  return rendered;
}

/**
 * Threads as rendered for readers who do not moderate them, by the very
 * array of entries and then by anchor prefix and time zone. The reading
 * service hands every reader the same array until anything is committed
 * (ADR 0015), and nobody changes it: the same array is the same thread, and
 * its markup is most of a long thread's page. Once the service lets the
 * array go, so does this.
 */
const renderedThreads = new WeakMap<ThreadEntry[], Map<string, HtmlEscapedString>>();

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

function replies(entries: ThreadEntry[], moderation: ThreadModeration | undefined, path: string, zone: string): Html {
  return html`<ol class="replies">${entries.map((entry, i) => reply(entry, moderation, `${path}-${i + 1}`, zone))}</ol>`;
}

function reply(entry: ThreadEntry, moderation: ThreadModeration | undefined, id: string, zone: string): Html {
  const { author } = entry;
  const hidden = entry.hiddenReason !== null;
  return html`<li class="${hidden ? "reply reply-hidden" : "reply"}"><article aria-label="${`Reply from ${author.name}`}"><p class="reply-author">${avatar(entry)}${entryLink(entry, author.profileUrl, author.name)}${
    author.handle ? html`<span class="handle secondary">${author.handle}</span>` : null
  }<span class="secondary">· ${entryLink(entry, entry.url, html`<time datetime="${entry.publishedAt.toISOString()}">${formatDay(entry.publishedAt, zone)}</time>`)}</span></p>${
    hidden ? html`<p class="hidden-mark"><strong>Hidden:</strong> ${entry.hiddenReason}</p>` : null
  }<div class="prose">${raw(entry.contentHtml)}</div><p class="report-link"><a href="${reportLink(entry.uri)}">Report<span class="visually-hidden"> the reply from ${author.name}</span></a></p>${
    moderation ? <ModerationForm entry={entry} moderation={moderation} id={id} /> : null
  }</article>${entry.children.length > 0 ? replies(entry.children, moderation, id, zone) : null}</li>`;
}

/** A reply's Hide form (a reason is required) or, once hidden, its Restore form. */
function ModerationForm({ entry, moderation, id }: { entry: ThreadEntry; moderation: ThreadModeration; id: string }) {
  const whose = <span class="visually-hidden"> the reply from {entry.author.name}</span>;
  if (entry.hiddenReason !== null) {
    return (
      <form method="post" action={`${moderation.base}/restore`} class="moderation-form">
        <CsrfField token={moderation.csrfToken} />
        <input type="hidden" name="reply" value={entry.uri} />
        <button type="submit" class="button button-secondary">
          Restore{whose}
        </button>
      </form>
    );
  }
  const problem = moderation.problem?.reply === entry.uri ? moderation.problem : undefined;
  const error = problem?.errors.reason;
  const field = `${id}-reason`;
  return (
    <form method="post" action={`${moderation.base}/hide`} class="moderation-form">
      <CsrfField token={moderation.csrfToken} />
      <input type="hidden" name="reply" value={entry.uri} />
      <div class={error ? "field field-with-error" : "field"}>
        <label for={field}>Reason for hiding</label>
        {error ? (
          <span class="field-error" id={`${field}-error`}>
            <span class="visually-hidden">Error: </span>
            {sentence(error)}
          </span>
        ) : null}
        <input
          type="text"
          id={field}
          name="reason"
          value={problem?.reason ?? ""}
          maxlength={500}
          required
          aria-invalid={error ? "true" : undefined}
          aria-describedby={describedBy(field, undefined, error)}
        />
      </div>
      <button type="submit" class="button button-secondary">
        Hide{whose}
      </button>
    </form>
  );
}

/** A link from a reply: our own paths as they are, another server's addresses only if they are web addresses. */
function entryLink(entry: ThreadEntry, href: string | null, content: string | Html): Html {
  const url = entry.remote ? webUrl(href) : href;
  return url ? html`<a href="${url}">${content}</a>` : html`<span>${content}</span>`;
}

/** A reply's author's picture; another server's only from a web address. */
function avatar(entry: ThreadEntry) {
  const src = entry.remote ? webUrl(entry.author.avatarUrl) : entry.author.avatarUrl;
  return src ? html`<img class="avatar" src="${src}" alt="" width="40" height="40"/>` : null;
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
