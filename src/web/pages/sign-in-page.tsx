import { FORGOT_PASSWORD_PATH } from "../../domain/urls.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, TextInput } from "./components.tsx";
import { Layout } from "./layout.tsx";

/** Signing in with a handle and password; after a failure, the reason above the form and the handle kept. */
export function SignInPage({ ctx, handle, next, problem }: { ctx: PageContext; handle?: string; next: string; problem?: string }) {
  return (
    <Layout ctx={ctx} title="Sign in">
      <h1>Sign in</h1>
      {problem ? (
        <div class="error-summary" role="alert" aria-labelledby="sign-in-problem" tabindex={-1}>
          <h2 id="sign-in-problem">There is a problem</h2>
          <p>{problem}</p>
        </div>
      ) : null}
      <form method="post" action="/sign-in" novalidate>
        <CsrfField token={ctx.csrfToken} />
        {next === "/" ? null : <input type="hidden" name="next" value={next} />}
        <TextInput
          name="handle"
          label="Handle"
          hint="For example alice, if you are @alice here."
          autocomplete="username"
          spellcheck={false}
          narrow
          value={handle}
        />
        <TextInput name="password" type="password" label="Password" autocomplete="current-password" />
        <div class="button-group">
          <button type="submit" class="button">
            Sign in
          </button>
        </div>
      </form>
      <p>
        <a href={FORGOT_PASSWORD_PATH}>Forgot your password?</a>
      </p>
      <p>No account yet? Accounts here are by invitation: ask an administrator of {ctx.instanceName} for a link.</p>
    </Layout>
  );
}
