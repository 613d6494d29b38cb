import type { Actor } from "../../domain/types.ts";
import { ACCOUNT_EMAIL_PATH, CHANGE_PASSWORD_PATH, passwordResetPath } from "../../domain/urls.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, DateText, ErrorSummary, type FieldErrors, Field, Notice, TextInput } from "./components.tsx";
import { Layout } from "./layout.tsx";

const LABELS = { current: "Current password", password: "New password" };
const NEW_HINT = "At least 12 characters. A few unrelated words make a strong one.";

/** The new password's field, as both forms ask for it. */
function NewPasswordField({ error }: { error?: string }) {
  return (
    <TextInput name="password" type="password" label={LABELS.password} hint={NEW_HINT} autocomplete="new-password" error={error} required />
  );
}

/** A signed-in person changes their password; their other sessions end. */
export function ChangePasswordPage({ ctx, notice, errors = {} }: { ctx: PageContext; notice?: string; errors?: FieldErrors }) {
  return (
    <Layout ctx={ctx} title={Object.keys(errors).length > 0 ? "Error: Change your password" : "Change your password"}>
      <h1>Change your password</h1>
      <Notice message={notice} />
      <ErrorSummary errors={errors} labels={LABELS} />
      <p>You stay signed in here; you are signed out everywhere else.</p>
      <form method="post" action={CHANGE_PASSWORD_PATH}>
        <CsrfField token={ctx.csrfToken} />
        <TextInput name="current" type="password" label={LABELS.current} autocomplete="current-password" error={errors.current} required />
        <NewPasswordField error={errors.password} />
        <button type="submit" class="button">
          Change password
        </button>
      </form>
      <p>
        <a href={ACCOUNT_EMAIL_PATH}>Your email address</a>: where a link to choose a new password goes if you forget this one.
      </p>
    </Layout>
  );
}

/** Choosing a new password through a one-time link. */
export function ResetPasswordPage({
  ctx,
  person,
  secret,
  errors = {},
}: {
  ctx: PageContext;
  person: Actor;
  secret: string;
  errors?: FieldErrors;
}) {
  return (
    <Layout ctx={ctx} title={Object.keys(errors).length > 0 ? "Error: Choose a new password" : "Choose a new password"}>
      <h1>Choose a new password</h1>
      <ErrorSummary errors={errors} labels={LABELS} />
      <p>
        For <strong>@{person.handle}</strong> ({person.displayName}). The link works once; choosing a password signs you out everywhere.
      </p>
      <form method="post" action={passwordResetPath(secret)}>
        <CsrfField token={ctx.csrfToken} />
        <NewPasswordField error={errors.password} />
        <button type="submit" class="button">
          Set password
        </button>
      </form>
    </Layout>
  );
}

/** Said once a new password is set through a link. */
export function PasswordResetDonePage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="Password changed">
      <h1>Password changed</h1>
      <Notice message="Your new password is set." />
      <p>
        <a href="/sign-in">Sign in with it</a>
      </p>
    </Layout>
  );
}

/** A new reset link, shown to the administrator this once (only its hash is kept). */
export function PasswordResetLinkPage({
  ctx,
  person,
  link,
  expiresAt,
  emailed = false,
}: {
  ctx: PageContext;
  person: Actor;
  link: string;
  expiresAt: Date;
  /** Whether it was also sent to the person's own email address. */
  emailed?: boolean;
}) {
  return (
    <Layout ctx={ctx} title="Password reset link">
      <h1>Password reset link for @{person.handle}</h1>
      {emailed ? (
        <p class="lede">
          The link is sent to {person.displayName}'s email address. It works once, until <DateText date={expiresAt} />; using it signs them
          out everywhere.
        </p>
      ) : (
        <p class="lede">
          Send this link to {person.displayName} by a way you trust. It works once, until <DateText date={expiresAt} />; using it signs them
          out everywhere.
        </p>
      )}
      <div class="panel">
        <Field name="reset-link" label="Password reset link" hint="Copy it now: it is not shown again. Anyone with the link can use it.">
          <input type="text" id="reset-link" class="handle" value={link} readonly spellcheck={false} aria-describedby="reset-link-hint" />
        </Field>
      </div>
      <p>
        <a href="/admin">Back to administration</a>
      </p>
    </Layout>
  );
}
