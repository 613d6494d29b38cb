import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { formatDay } from "../../domain/time-zone.ts";
import { webUrl } from "../../domain/web-url.ts";
import type { ThreadEntry } from "../../services/threads.ts";
import { CsrfField, describedBy, Field, type FieldErrors } from "./components.tsx";
import { reportLink } from "./reports-page.tsx";
import { useTimeZone } from "./time-zone-context.tsx";

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
      <Field name={field} label="Reason for hiding" error={error}>
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
      </Field>
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
