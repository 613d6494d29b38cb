import type { PageContext } from "./context.ts";
import { CsrfField, ErrorSummary, TextInput, type FieldErrors } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { inFormOrder, PERSON_FIELD_LABELS, PersonFields, type PersonValues } from "./person-fields.tsx";

export interface SetupValues extends PersonValues {
  instanceName?: string;
}

const LABELS = { instanceName: "Name of this instance", ...PERSON_FIELD_LABELS };

/** First start: name the instance and create the first administrator, from the one-time link. */
export function SetupPage({ ctx, action, values, errors }: { ctx: PageContext; action: string; values: SetupValues; errors: FieldErrors }) {
  return (
    <Layout ctx={ctx} title="Set up this instance">
      <h1>Set up this instance</h1>
      <p class="lede">Give this instance a name and create the first administrator's account. You will be signed in straight away.</p>
      <ErrorSummary errors={inFormOrder(errors, LABELS)} labels={LABELS} />
      <form method="post" action={action} novalidate>
        <CsrfField token={ctx.csrfToken} />
        <h2>The instance</h2>
        <TextInput
          name="instanceName"
          label={LABELS.instanceName}
          hint="Shown at the top of every page and to people following from Mastodon, for example Digital Service weeknotes."
          autocomplete="off"
          value={values.instanceName}
          error={errors.instanceName}
        />
        <h2>Your administrator account</h2>
        <PersonFields ctx={ctx} values={values} errors={errors} />
        <div class="button-group">
          <button type="submit" class="button">
            Set up and sign in
          </button>
        </div>
      </form>
    </Layout>
  );
}

/** A setup link that does not (or no longer) work, and how to get one that does. */
export function SetupLinkUnusablePage({ ctx, alreadySetUp }: { ctx: PageContext; alreadySetUp: boolean }) {
  return (
    <Layout ctx={ctx} title="This setup link does not work">
      <h1>This setup link does not work</h1>
      {alreadySetUp ? (
        <>
          <p class="lede">This instance is set up already: its setup link has been used, and setup links no longer work.</p>
          <p>Sign in if you have an account, or ask an administrator of this instance for an invitation.</p>
          <ul class="link-list">
            {ctx.viewer ? null : (
              <li>
                <a href="/sign-in">Sign in</a>
              </li>
            )}
            <li>
              <a href="/">Go to the home page</a>
            </li>
          </ul>
        </>
      ) : (
        <>
          <p class="lede">The link has been used already, a newer link replaced it, or the address is wrong.</p>
          <p>If you run this instance, get a new link by running this on the server, then open the link it prints:</p>
          <p>
            <code>npm run connexo -- setup-link</code>
          </p>
        </>
      )}
    </Layout>
  );
}
