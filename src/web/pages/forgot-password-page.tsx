import { FORGOT_PASSWORD_PATH } from "../../domain/urls.ts";
import { RESET_HOURS } from "../../services/password-changes.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, ErrorSummary, type FieldErrors, Notice, TextInput } from "./components.tsx";
import { Layout } from "./layout.tsx";

const LABELS = { account: "Your handle or email address" };

/** Said after every request, whether an account matched or not, so that no one learns which addresses are here. */
export const ON_ITS_WAY = `If an account matches, a link to choose a new password is on its way to its email address. It works for ${RESET_HOURS} hours.`;

/**
 * "Forgot your password?": the form asking for a reset link by email, or,
 * when the instance sends no email, who to ask instead.
 */
export function ForgotPasswordPage({
  ctx,
  offered,
  typed,
  errors = {},
}: {
  ctx: PageContext;
  /** Whether links can be emailed (the instance sends email). */
  offered: boolean;
  typed?: string;
  errors?: FieldErrors;
}) {
  return (
    <Layout ctx={ctx} title={Object.keys(errors).length > 0 ? "Error: Forgot your password?" : "Forgot your password?"}>
      <h1>Forgot your password?</h1>
      {offered ? (
        <>
          <ErrorSummary errors={errors} labels={LABELS} />
          <p>
            If you gave an email address on your account, we send a link there to choose a new password. If you did not, ask an
            administrator of {ctx.instanceName} for a link.
          </p>
          <form method="post" action={FORGOT_PASSWORD_PATH} novalidate>
            <CsrfField token={ctx.csrfToken} />
            <TextInput
              name="account"
              label={LABELS.account}
              hint="For example alice, if you are @alice here, or the address you gave."
              autocomplete="username"
              spellcheck={false}
              value={typed}
              error={errors.account}
            />
            <button type="submit" class="button">
              Send me a link
            </button>
          </form>
        </>
      ) : (
        <p>Ask an administrator of {ctx.instanceName} for a link to choose a new password. It works once, for a day.</p>
      )}
      <p>
        <a href="/sign-in">Back to sign in</a>
      </p>
    </Layout>
  );
}

/** The same answer to every request (and to too many of them), whatever matched. */
export function ForgotPasswordSentPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="Check your email">
      <h1>Check your email</h1>
      <Notice message={ON_ITS_WAY} />
      <p>Nothing arrived? Look in your spam folder, try again later, or ask an administrator of {ctx.instanceName} for a link.</p>
      <p>
        <a href="/sign-in">Back to sign in</a>
      </p>
    </Layout>
  );
}
