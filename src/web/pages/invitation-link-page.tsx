import type { PageContext } from "./context.ts";
import { DateText, Field } from "./components.tsx";
import { Layout } from "./layout.tsx";

/**
 * A new invitation's link, shown this once: only its hash is kept, so the
 * administrator copies it now (with a button where scripts run, or by selecting it).
 */
export function InvitationLinkPage({ ctx, link, note, expiresAt }: { ctx: PageContext; link: string; note: string; expiresAt: Date }) {
  return (
    <Layout ctx={ctx} title="Invitation link">
      <h1>Invitation link</h1>
      <p class="lede">
        Send this link to {note ? <>the person you invited ({note})</> : "the person you are inviting"}. It works once, within 7 days (until{" "}
        <DateText date={expiresAt} />
        ).
      </p>
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
