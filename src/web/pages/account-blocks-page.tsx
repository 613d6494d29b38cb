import type { AccountBlock } from "../../domain/moderation.ts";
import type { RemoteActor } from "../../domain/types.ts";
import type { PageContext } from "./context.ts";
import { BlockedAccountsTable } from "./blocked-accounts-table.tsx";
import { ErrorSummary, type FieldErrors, Notice } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { NameAndReasonForm } from "./name-and-reason-form.tsx";

export const ACCOUNT_BLOCKS_PATH = "/admin/account-blocks";

const LABELS = { account: "Account", reason: "Reason" };

export interface AccountBlocksPageProps {
  ctx: PageContext;
  blocks: (AccountBlock & { account: RemoteActor | null })[];
  notice?: string;
  block?: { account: string; reason: string };
  errors?: FieldErrors;
}

/**
 * Blocking single accounts elsewhere, for the instance's administrators: a
 * form, and the blocked accounts with an Unblock button each. Unlike domain
 * blocks, only each account's server and the reason are published (at
 * /about/blocked-domains): an account is a person.
 */
export function AccountBlocksPage({ ctx, blocks, notice, block = { account: "", reason: "" }, errors = {} }: AccountBlocksPageProps) {
  return (
    <Layout ctx={ctx} title="Blocked accounts">
      <p>
        <a href="/admin">Back to administration</a>
      </p>
      <h1>Blocked accounts</h1>
      <Notice message={notice} />
      <ErrorSummary errors={errors} labels={LABELS} />
      <p>
        Nothing a blocked account sends is taken, nothing is sent to it, its follows of people and communities here end, and what it sent
        before is hidden until it is unblocked. To refuse a whole server, <a href="/admin/domain-blocks">block its domain</a>. Every block
        is kept in the <a href="/admin/moderation-log">moderation log</a>.
      </p>
      <section aria-labelledby="block-title">
        <h2 id="block-title">Block an account</h2>
        <NameAndReasonForm
          ctx={ctx}
          action={ACCOUNT_BLOCKS_PATH}
          what={{
            name: "account",
            label: LABELS.account,
            hint: "The address of its profile (https://…), or its handle (@user@server) if it has been seen here.",
            value: block.account,
            error: errors.account,
          }}
          why={{
            name: "reason",
            label: LABELS.reason,
            hint: "Published with the account's server (not its name) on the public list of blocks, and kept in the moderation log.",
            value: block.reason,
            error: errors.reason,
          }}
          button="Block account"
        />
      </section>
      <section aria-labelledby="blocked-title">
        <h2 id="blocked-title">Blocked now</h2>
        {blocks.length === 0 ? (
          <p class="secondary">No account is blocked.</p>
        ) : (
          <BlockedAccountsTable ctx={ctx} labelledBy="blocked-title" unblockAction={`${ACCOUNT_BLOCKS_PATH}/unblock`} rows={blocks} />
        )}
      </section>
    </Layout>
  );
}
