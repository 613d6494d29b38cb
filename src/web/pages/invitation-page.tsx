import type { Invitation } from "../../domain/types.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, DateText, ErrorSummary, type FieldErrors } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { inFormOrder, PERSON_FIELD_LABELS, PersonFields, type PersonValues } from "./person-fields.tsx";

/** An invited person creates their account: who invited them, the note, and the new-person form. */
export function InvitationPage(props: {
  ctx: PageContext;
  action: string;
  invitation: Invitation;
  inviterName: string;
  values: PersonValues;
  errors: FieldErrors;
}) {
  const { ctx, invitation } = props;
  return (
    <Layout ctx={ctx} title={`Join ${ctx.instanceName}`}>
      <h1>Join {ctx.instanceName}</h1>
      <p class="lede">{props.inviterName} invited you to publish weeknotes here and share them with the fediverse.</p>
      {invitation.note ? (
        <div class="panel">
          <p>Note from {props.inviterName}:</p>
          <blockquote>{invitation.note}</blockquote>
        </div>
      ) : null}
      <p>
        Choose how you appear and how you sign in. This invitation works once, until <DateText date={invitation.expiresAt} />.
      </p>
      <ErrorSummary errors={inFormOrder(props.errors, PERSON_FIELD_LABELS)} labels={PERSON_FIELD_LABELS} />
      <form method="post" action={props.action} novalidate>
        <CsrfField token={ctx.csrfToken} />
        <PersonFields ctx={ctx} values={props.values} errors={props.errors} />
        <div class="button-group">
          <button type="submit" class="button">
            Create my account
          </button>
        </div>
      </form>
    </Layout>
  );
}

/** An invitation link that was used, has expired or never existed. */
export function InvitationUnusablePage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="This invitation link does not work">
      <h1>This invitation link does not work</h1>
      <p class="lede">It has been used already, it has expired (invitations last 7 days), or the address is wrong.</p>
      <p>Ask an administrator of {ctx.instanceName} to invite you again: they can make a new link in a moment.</p>
      <ul class="link-list">
        {ctx.viewer ? null : (
          <li>
            <a href="/sign-in">Sign in, if you have an account already</a>
          </li>
        )}
        <li>
          <a href="/">Go to the home page</a>
        </li>
      </ul>
    </Layout>
  );
}
