import { ACCOUNT_EMAIL_PATH, CHANGE_PASSWORD_PATH } from "../../domain/urls.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, ErrorSummary, type FieldErrors, Notice, TextInput } from "./components.tsx";
import { Layout } from "./layout.tsx";

const LABELS = { email: "Email address", current: "Current password" };

/**
 * A signed-in person's own email address: where a link to choose a new
 * password goes when they forget theirs. Changing it takes their password,
 * since the address can reset it.
 */
export function AccountEmailPage({
  ctx,
  email,
  sending,
  notice,
  typed,
  errors = {},
}: {
  ctx: PageContext;
  /** The address stored now. */
  email: string | null;
  /** Whether the instance sends email at all. */
  sending: boolean;
  notice?: string;
  /** What was typed, shown again with the errors. */
  typed?: string;
  errors?: FieldErrors;
}) {
  return (
    <Layout ctx={ctx} title={Object.keys(errors).length > 0 ? "Error: Your email address" : "Your email address"}>
      <h1>Your email address</h1>
      <Notice message={notice} />
      <ErrorSummary errors={errors} labels={LABELS} />
      <p id="current-email">
        {email ? (
          <>
            Your address here is <strong>{email}</strong>.
          </>
        ) : (
          "You have not given an email address."
        )}
      </p>
      <p>
        If you forget your password, a link to choose a new one goes to this address. Only you see it: it is not on your profile, and
        administrators do not see it either.
      </p>
      {sending ? null : (
        <p>
          {ctx.instanceName} does not send email at the moment: until it does, an administrator gives you a link if you forget your
          password.
        </p>
      )}
      <form method="post" action={ACCOUNT_EMAIL_PATH} novalidate>
        <CsrfField token={ctx.csrfToken} />
        <TextInput
          name="email"
          type="email"
          label={LABELS.email}
          hint="Leave it empty to remove your address."
          autocomplete="email"
          spellcheck={false}
          value={typed ?? email ?? ""}
          error={errors.email}
        />
        <TextInput name="current" type="password" label={LABELS.current} autocomplete="current-password" error={errors.current} required />
        <button type="submit" class="button">
          Save email address
        </button>
      </form>
      <p>
        <a href={CHANGE_PASSWORD_PATH}>Change your password</a>
      </p>
    </Layout>
  );
}
