import { REPLY_POLICIES, REPLY_POLICY_LABELS } from "../../domain/reply-policy.ts";
import type { Actor, CommunityBlock } from "../../domain/types.ts";
import { actorPath, communityModerationPath } from "../../domain/urls.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, describedBy, ErrorSummary, type FieldErrors, Notice, sentence } from "./components.tsx";
import { BlockedAccountsTable } from "./blocked-accounts-table.tsx";
import { Layout } from "./layout.tsx";
import { NameAndReasonForm } from "./name-and-reason-form.tsx";

/** What was typed into the forms, shown again with the errors when one is refused. */
export interface ModerationForms {
  /** The reply policy chosen. */
  policy?: string;
  account?: string;
  reason?: string;
}

export interface CommunityModerationPageProps {
  ctx: PageContext;
  community: Actor;
  blocks: CommunityBlock[];
  notice?: string;
  values?: ModerationForms;
  errors?: FieldErrors;
}

const LABELS = {
  policy: "Who may reply",
  account: "Account to block",
  reason: "Reason",
  unblock: "Unblock",
};

/**
 * A community's moderation, for its facilitators and administrators: who may
 * reply to its posts, and the accounts elsewhere blocked from it, with a form
 * to block another.
 */
export function CommunityModerationPage({ ctx, community, blocks, notice, values = {}, errors = {} }: CommunityModerationPageProps) {
  const heading = `Moderation of ${community.displayName}`;
  const path = communityModerationPath(community.handle);
  const chosen = values.policy ?? community.replyPolicy;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Layout ctx={ctx} title={hasErrors ? `Error: ${heading}` : heading}>
      <p class="secondary">
        <a href={actorPath(community.handle)}>{community.displayName}</a>
      </p>
      <h1>{heading}</h1>
      <Notice message={notice} />
      <ErrorSummary errors={errors} labels={LABELS} />
      <p>
        <a href="/reports">Open reports about the communities you moderate</a>
      </p>
      <section aria-labelledby="reply-policy-title">
        <h2 id="reply-policy-title">Replies</h2>
        <form method="post" action={`${path}/reply-policy`}>
          <CsrfField token={ctx.csrfToken} />
          <fieldset
            id="policy"
            class={errors.policy ? "field field-with-error" : "field"}
            aria-describedby={describedBy("policy", undefined, errors.policy)}
          >
            <legend>Who may reply to the posts of {community.displayName}</legend>
            {errors.policy ? (
              <span class="field-error" id="policy-error">
                <span class="visually-hidden">Error: </span>
                {sentence(errors.policy)}
              </span>
            ) : null}
            {REPLY_POLICIES.map((policy) => (
              <div class="radio">
                <input type="radio" id={`policy-${policy}`} name="policy" value={policy} checked={chosen === policy} required />
                <label for={`policy-${policy}`}>{REPLY_POLICY_LABELS[policy]}</label>
              </div>
            ))}
          </fieldset>
          <button type="submit" class="button">
            Save who may reply
          </button>
        </form>
      </section>
      <section aria-labelledby="blocked-title">
        <h2 id="blocked-title">Blocked accounts</h2>
        <p>
          An account blocked from {community.displayName} stops following it, and its follows, requests to join, posts and replies are
          refused. Its replies already here are no longer shown.
        </p>
        {blocks.length === 0 ? (
          <p class="secondary">No account is blocked from {community.displayName}.</p>
        ) : (
          <BlockedAccountsTable
            ctx={ctx}
            labelledBy="blocked-title"
            unblockAction={`${path}/unblock`}
            rows={blocks.map((block) => ({ ...block, uri: block.actorUri }))}
          />
        )}
      </section>
      <section aria-labelledby="block-title">
        <h2 id="block-title">Block an account</h2>
        <NameAndReasonForm
          ctx={ctx}
          action={`${path}/block`}
          what={{
            name: "account",
            label: LABELS.account,
            hint: "The address of the account's profile, such as https://social.example/users/name, or its handle @name@social.example if it has followed or replied here.",
            value: values.account,
            error: errors.account,
          }}
          why={{
            name: "reason",
            label: LABELS.reason,
            hint: "Seen by this community's moderators and in the moderation log. At most 500 characters.",
            value: values.reason,
            error: errors.reason,
          }}
          button="Block account"
        />
      </section>
    </Layout>
  );
}
