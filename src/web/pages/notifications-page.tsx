import { NOTIFICATION_KIND_LABELS, NOTIFICATION_KINDS, type NotificationKind } from "../../domain/notifications.ts";
import { ACCOUNT_EMAIL_PATH, NOTIFICATION_SETTINGS_PATH } from "../../domain/urls.ts";
import type { NotificationEntry } from "../../services/notification-text.ts";
import type { NotificationSettings } from "../../services/notifications.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, DateText, ErrorSummary, type FieldErrors, Notice } from "./components.tsx";
import { Layout } from "./layout.tsx";

/**
 * A signed-in person's notifications, newest first: each says what happened
 * and leads to it; those new since the last visit say so (seeing the page
 * marks them read).
 */
export function NotificationsPage({ ctx, entries }: { ctx: PageContext; entries: NotificationEntry[] }) {
  return (
    <Layout ctx={ctx} title="Notifications">
      <h1>Notifications</h1>
      <p>
        Replies to what you wrote, mentions of you elsewhere, new followers of your communities, likes and boosts, invitations, and what
        became of your replies to decision records. <a href={NOTIFICATION_SETTINGS_PATH}>Choose which also come by email</a>.
      </p>
      {entries.length === 0 ? (
        <p class="secondary">Nothing yet.</p>
      ) : (
        <ol class="notifications">
          {entries.map((entry) => (
            <li class={entry.unread ? "notification unread" : "notification"} data-kind={entry.kind}>
              <p>
                {entry.unread ? <strong class="badge">New</strong> : null} <a href={entry.href}>{entry.text}</a>
              </p>
              <p class="meta">
                {entry.actors.length > 2 ? <>{entry.actors.map((actor) => actor.name).join(", ")} · </> : null}
                <DateText date={entry.at} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </Layout>
  );
}

/** The choice of which notifications also come by email, one box a kind. */
export function NotificationSettingsPage({
  ctx,
  settings,
  notice,
  errors = {},
}: {
  ctx: PageContext;
  settings: NotificationSettings;
  notice?: string;
  errors?: FieldErrors;
}) {
  const chosen = new Set<NotificationKind>(settings.emailKinds);
  return (
    <Layout ctx={ctx} title={Object.keys(errors).length > 0 ? "Error: Notifications by email" : "Notifications by email"}>
      <h1>Notifications by email</h1>
      <Notice message={notice} />
      <ErrorSummary errors={errors} labels={{ kinds: "Notifications by email" }} />
      <p>
        Everything is on your notifications page. What you choose here also comes by email: at most one email an hour, listing what is new
        since the last one and not yet seen.
      </p>
      {settings.emailOffered ? null : <p>{ctx.instanceName} does not send email at the moment: nothing is sent until it does.</p>}
      {settings.email ? (
        <p>
          Emails go to <strong>{settings.email}</strong> (<a href={ACCOUNT_EMAIL_PATH}>change your address</a>).
        </p>
      ) : (
        <p>
          You have not given an email address: <a href={ACCOUNT_EMAIL_PATH}>give one</a> for these to reach you.
        </p>
      )}
      <form method="post" action={NOTIFICATION_SETTINGS_PATH}>
        <CsrfField token={ctx.csrfToken} />
        <fieldset>
          <legend>Also by email</legend>
          {NOTIFICATION_KINDS.map((kind) => (
            <div class="checkbox">
              <input type="checkbox" id={`kind-${kind}`} name="kinds" value={kind} checked={chosen.has(kind)} />
              <label for={`kind-${kind}`}>{NOTIFICATION_KIND_LABELS[kind]}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="button">
          Save
        </button>
      </form>
    </Layout>
  );
}
