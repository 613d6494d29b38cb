import type { Child } from "hono/jsx";
import type { Media, Post } from "../../domain/types.ts";
import { webUrl } from "../../domain/web-url.ts";
import { actorPath, mediaPath, postPath } from "../../domain/urls.ts";
import { formatDay } from "../../domain/time-zone.ts";
import { useTimeZone } from "./time-zone-context.tsx";

/**
 * An address that came from another server (a profile, a post, a cited
 * reply): a link only if it is a web address (`href`, else `or`), otherwise
 * just its text. Checked here as well as on arrival, so that rows stored
 * before that check, or by another path, cannot put script in an href.
 */
export function RemoteLink({ href, or, children }: { href: string | null | undefined; or?: string | null; children: Child }) {
  const url = webUrl(href, or);
  return url ? <a href={url}>{children}</a> : <span>{children}</span>;
}

/** The hidden anti-forgery field every form carries. */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export type FieldErrors = Record<string, string>;

/** Field messages come from services in lower case ("required"); on a page they start with a capital. */
export const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

/** A confirmation after something was done, announced to screen readers. */
export function Notice({ message }: { message?: string }) {
  return message ? (
    <div class="notice" role="status">
      <p>{message}</p>
    </div>
  ) : null;
}

/** A list of every problem at the top of a form, each linking to its field. */
export function ErrorSummary({ errors, labels }: { errors: FieldErrors; labels: Record<string, string> }) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title">There is a problem</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li>
            <a href={`#${field}`}>{labels[field] ? `${labels[field]}: ${message}` : sentence(message)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  children: Child;
}

/** A label, an optional hint and error message, and the control, tied together for screen readers. */
export function Field({ name, label, hint, error, children }: FieldProps) {
  return (
    <div class={error ? "field field-with-error" : "field"}>
      <label for={name}>{label}</label>
      {hint ? (
        <span class="hint" id={`${name}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span class="field-error" id={`${name}-error`}>
          <span class="visually-hidden">Error: </span>
          {sentence(error)}
        </span>
      ) : null}
      {children}
    </div>
  );
}

/** aria-describedby for a control with a hint and/or error. */
export function describedBy(name: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

export function TextInput(props: {
  name: string;
  label: string;
  value?: string;
  hint?: string;
  error?: string;
  type?: "text" | "password" | "url" | "search" | "email";
  autocomplete?: string;
  narrow?: boolean;
  required?: boolean;
  spellcheck?: boolean;
}) {
  return (
    <Field name={props.name} label={props.label} hint={props.hint} error={props.error}>
      <input
        type={props.type ?? "text"}
        id={props.name}
        name={props.name}
        value={props.type === "password" ? undefined : (props.value ?? "")}
        class={props.narrow ? "input-narrow" : undefined}
        autocomplete={props.autocomplete}
        spellcheck={props.spellcheck}
        required={props.required}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy(props.name, props.hint, props.error)}
      />
    </Field>
  );
}

/** `id` defaults to the name; give one when a page has several fields of the same name. */
export function TextArea(props: {
  name: string;
  id?: string;
  label: string;
  value?: string;
  hint?: string;
  error?: string;
  rows?: number;
  required?: boolean;
}) {
  const id = props.id ?? props.name;
  return (
    <Field name={id} label={props.label} hint={props.hint} error={props.error}>
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 8}
        required={props.required}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      >
        {props.value ?? ""}
      </textarea>
    </Field>
  );
}

/** "Follow @team@host" with a copy button (shown when scripts run) and a note for Mastodon users. */
export function FollowBox({ handle, host, kind }: { handle: string; host: string; kind: "community" | "person" }) {
  const address = `@${handle}@${host}`;
  return (
    <section class="panel" aria-labelledby="follow-title">
      <h2 id="follow-title">Follow from Mastodon</h2>
      <div class="copy-row">
        <span class="handle" id="follow-handle">
          {address}
        </span>
        <button type="button" class="button button-secondary copy-button" data-copy={address} aria-controls="copy-status" hidden>
          Copy
        </button>
      </div>
      <p id="copy-status" role="status" class="secondary"></p>
      <p>
        On Mastodon or any other fediverse server, paste this address into the search box and choose Follow. Every weeknote{" "}
        {kind === "community" ? "published in this community" : "this person publishes"} will then appear in your home timeline, and you can
        reply to it from there.
      </p>
    </section>
  );
}

/** "2026-W48" → "Week 48, 2026". */
export function weekLabel(isoWeek: string): string {
  const [year, week] = isoWeek.split("-W");
  return `Week ${Number(week)}, ${year}`;
}

/** The day of a moment, in the instance's time zone (formatDay keeps one formatter per zone: long threads show many dates). */
export function DateText({ date }: { date: Date }) {
  return <time datetime={date.toISOString()}>{formatDay(date, useTimeZone())}</time>;
}

/** Names of the actors (authors and communities) behind a list of weeknotes, by id. */
export type PostNames = Map<number, { handle: string; displayName: string }>;

/** Weeknotes as a list: title, summary, who and where, week and tags. */
export function PostList({ posts, names, headingLevel = 3 }: { posts: Post[]; names: PostNames; headingLevel?: 2 | 3 }) {
  if (posts.length === 0) return <p class="secondary">No weeknotes yet.</p>;
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <ul class="post-list">
      {posts.map((post) => {
        const author = names.get(post.authorId);
        const community = post.communityId === null ? undefined : names.get(post.communityId);
        return (
          <li>
            <Heading>
              <a href={postPath(post.id)}>{post.title}</a>
            </Heading>
            <p class="meta">
              {post.isoWeek ? <>{weekLabel(post.isoWeek)} · </> : null}
              {author ? <a href={actorPath(author.handle)}>{author.displayName}</a> : null}
              {community ? (
                <>
                  {" "}
                  in <a href={actorPath(community.handle)}>{community.displayName}</a>
                </>
              ) : null}
              {post.publishedAt ? (
                <>
                  {" "}
                  · <DateText date={post.publishedAt} />
                </>
              ) : null}
            </p>
            {post.summary ? <p>{post.summary}</p> : null}
          </li>
        );
      })}
    </ul>
  );
}

/** A weeknote's images, each with its description as alt text. */
export function Attachments({ media }: { media: Media[] }) {
  if (media.length === 0) return null;
  return (
    <div class="attachments">
      {media.map((m) => (
        <figure>
          <img src={mediaPath(m.fileName)} alt={m.alt} width={m.width} height={m.height} loading="lazy" />
        </figure>
      ))}
    </div>
  );
}

/**
 * A table with nothing to focus in it, which may scroll sideways on a narrow
 * screen: it takes focus itself, with a name, so that it can be scrolled from
 * the keyboard (WCAG 2.1.1).
 */
export function ScrollableTable({ label, children }: { label: string; children: Child }) {
  return (
    <section class="table-scroll" aria-label={label} tabindex={0}>
      {children}
    </section>
  );
}
