import type { PageContext } from "./context.ts";
import { DateText, Field, Notice } from "./components.tsx";
import { Layout } from "./layout.tsx";

/**
 * A new invitation's link, shown this once: only its hash is kept, so the
 * administrator copies it now (with a button where scripts run, or by selecting it).
 */
export function InvitationLinkPage({
  ctx,
  link,
  note,
  expiresAt,
  emailed = null,
}: {
  ctx: PageContext;
  link: string;
  note: string;
  expiresAt: Date;
  /** Where the link was emailed, and whether the mail server took it; null when it was not to be emailed. */
  emailed?: { to: string; sent: boolean } | null;
}) {
  return (
    <Layout ctx={ctx} title="Invitation link">
      <h1>Invitation link</h1>
      {emailed?.sent ? <Notice message={`The invitation was sent to ${emailed.to}.`} /> : null}
      {emailed && !emailed.sent ? (
        <div class="error-summary" role="alert" aria-labelledby="not-sent-title" tabindex={-1}>
          <h2 id="not-sent-title">The email could not be sent</h2>
          <p>The invitation to {emailed.to} did not go. Send them the link below yourself.</p>
        </div>
      ) : null}
      {emailed?.sent ? (
        <p class="lede">
          It works once, within 7 days (until <DateText date={expiresAt} />
          ). Here is the link too, should the message not arrive.
        </p>
      ) : (
        <p class="lede">
          Send this link to {note ? <>the person you invited ({note})</> : "the person you are inviting"}. It works once, within 7 days
          (until <DateText date={expiresAt} />
          ).
        </p>
      )}
      <div class="panel">
        <Field name="invitation-link" label="Invitation link" hint="Copy it now: it is not shown again. Anyone with the link can use it.">
          <div class="copy-row">
            <input
              type="text"
              id="invitation-link"
              class="handle"
              value={link}
              readonly
              spellcheck={false}
              aria-describedby="invitation-link-hint"
            />
            <button type="button" class="button button-secondary copy-button" data-copy={link} aria-controls="copy-status" hidden>
              Copy link
            </button>
          </div>
        </Field>
        <p id="copy-status" role="status" class="secondary"></p>
      </div>
      <p>If the link gets lost or expires, create a new one. Until it is used, it is listed under pending invitations.</p>
      <ul class="link-list">
        <li>
          <a href="/admin">Back to administration</a>
        </li>
        <li>
          <a href="/admin#invite-title">Invite someone else</a>
        </li>
      </ul>
    </Layout>
  );
}
