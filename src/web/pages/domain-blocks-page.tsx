import type { Child } from "hono/jsx";
import type { AllowedDomain, DomainBlock } from "../../domain/moderation.ts";
import type { FederationMode, PublicAllowedDomain, PublicDomainBlock } from "../../services/federation-policy.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, DateText, ErrorSummary, type FieldErrors, Notice, ScrollableTable, TextArea } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { NameAndReasonForm } from "./name-and-reason-form.tsx";
import type { PublicAccountBlock } from "../../services/account-blocks.ts";

export const DOMAIN_BLOCKS_PATH = "/admin/domain-blocks";
export const PUBLIC_DOMAIN_BLOCKS_PATH = "/about/blocked-domains";

/** The block form's values and errors, when it is shown again. */
export interface BlockForm {
  domain: string;
  reason: string;
}

/** The allow form's values, when it is shown again. */
export interface AllowForm {
  allow: string;
  note: string;
}

export interface DomainBlocksPageProps {
  ctx: PageContext;
  blocks: DomainBlock[];
  /** The allow list, and whether it is used (allow-list mode) or only kept. */
  allowed: AllowedDomain[];
  mode: FederationMode;
  notice?: string;
  block?: BlockForm;
  allowing?: AllowForm;
  /** The import form's text, when it is shown again. */
  csv?: string;
  errors?: FieldErrors;
}

const LABELS = {
  domain: "Domain",
  reason: "Public reason",
  csv: "Blocks to import, as CSV",
  allow: "Domain to allow",
  note: "Public note",
};

/** Blocking domains, for instance administrators: a form, the list with Unblock buttons, import and export. */
export function DomainBlocksPage({ ctx, blocks, allowed, mode, notice, block, allowing, csv, errors = {} }: DomainBlocksPageProps) {
  return (
    <Layout ctx={ctx} title="Blocked domains">
      <p>
        <a href="/admin">Back to administration</a>
      </p>
      <h1>Blocked domains</h1>
      <Notice message={notice} />
      <ErrorSummary errors={errors} labels={LABELS} />
      <p>
        Nothing is taken from a blocked domain or its subdomains, and nothing is sent there; its accounts stop following people and
        communities here. The domains and their reasons are listed publicly on{" "}
        <a href={PUBLIC_DOMAIN_BLOCKS_PATH}>the list of blocked domains</a>, and every block is kept in the{" "}
        <a href="/admin/moderation-log">moderation log</a>.
      </p>
      <section aria-labelledby="block-title">
        <h2 id="block-title">Block a domain</h2>
        <NameAndReasonForm
          ctx={ctx}
          action={DOMAIN_BLOCKS_PATH}
          what={{
            name: "domain",
            label: LABELS.domain,
            hint: "Such as social.example. Its subdomains are blocked too.",
            value: block?.domain,
            error: errors.domain,
          }}
          why={{
            name: "reason",
            label: LABELS.reason,
            hint: "Shown to everyone on the list of blocked domains. At most 500 characters.",
            value: block?.reason,
            error: errors.reason,
          }}
          button="Block domain"
        />
      </section>
      <section aria-labelledby="blocked-title">
        <h2 id="blocked-title">Blocked now</h2>
        {blocks.length === 0 ? (
          <p class="secondary">No domain is blocked.</p>
        ) : (
          <DomainTable
            ctx={ctx}
            labelledBy="blocked-title"
            noteHeading="Public reason"
            dateHeading="Blocked"
            rows={blocks.map((b) => ({ domain: b.domain, note: b.reason, createdAt: b.createdAt }))}
            action={`${DOMAIN_BLOCKS_PATH}/unblock`}
            button={(domain) => (
              <>
                Unblock<span class="visually-hidden"> {domain}</span>
              </>
            )}
          />
        )}
      </section>
      <section aria-labelledby="allowed-title">
        <h2 id="allowed-title">Allowed domains</h2>
        <p id="federation-mode">
          {mode === "allowlist"
            ? "This instance federates only with the domains on this list and their subdomains (CONNEXO_FEDERATION_MODE is allowlist): nothing is taken from anywhere else, and nothing is sent anywhere else. A blocked domain stays blocked even when it is listed here."
            : "This instance federates with every domain that is not blocked. The allow list is used only when CONNEXO_FEDERATION_MODE is allowlist; it can be prepared here beforehand."}
        </p>
        <NameAndReasonForm
          ctx={ctx}
          action={`${DOMAIN_BLOCKS_PATH}/allow`}
          what={{
            name: "allow",
            label: LABELS.allow,
            hint: "Such as social.example. Its subdomains are allowed too.",
            value: allowing?.allow,
            error: errors.allow,
          }}
          why={{
            name: "note",
            label: LABELS.note,
            hint: "Who they are, shown to everyone on the public list. At most 500 characters.",
            value: allowing?.note,
            error: errors.note,
          }}
          rows={2}
          button="Allow domain"
        />
        {allowed.length === 0 ? (
          <p class="secondary">No domain is on the allow list.</p>
        ) : (
          <DomainTable
            ctx={ctx}
            labelledBy="allowed-title"
            noteHeading="Public note"
            dateHeading="Allowed"
            rows={allowed.map((a) => ({ domain: a.domain, note: a.note, createdAt: a.createdAt }))}
            action={`${DOMAIN_BLOCKS_PATH}/disallow`}
            button={(domain) => (
              <>
                Remove<span class="visually-hidden"> {domain} from the allow list</span>
              </>
            )}
          />
        )}
      </section>
      <section aria-labelledby="import-title">
        <h2 id="import-title">Import and export</h2>
        <p>
          Lists of blocks travel between instances in the CSV format Mastodon uses.{" "}
          <a href={`${DOMAIN_BLOCKS_PATH}/export.csv`}>Download the blocked domains as CSV</a>.
        </p>
        <form method="post" action={`${DOMAIN_BLOCKS_PATH}/import`}>
          <CsrfField token={ctx.csrfToken} />
          <TextArea
            name="csv"
            label={LABELS.csv}
            hint="The first line names the columns: #domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate. Lines with severity suspend are blocked; silence and noop are skipped. If any line is wrong, nothing is imported."
            value={csv}
            error={errors.csv}
            rows={8}
            required
          />
          <button type="submit" class="button">
            Import blocks
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** The public list of blocked domains and why, as Mastodon's about page has it. */
export function PublicDomainBlocksPage({
  ctx,
  blocks,
  mode,
  allowed,
  accounts,
}: {
  ctx: PageContext;
  blocks: PublicDomainBlock[];
  mode: FederationMode;
  allowed: PublicAllowedDomain[];
  accounts: PublicAccountBlock[];
}) {
  return (
    <Layout ctx={ctx} title="Blocked domains" description={`The domains ${ctx.instanceName} does not federate with, and why.`}>
      {mode === "allowlist" ? (
        <section aria-labelledby="allowed-title">
          <h1 id="allowed-title">Domains federated with</h1>
          <p id="federation-mode">
            {ctx.instanceName} federates only with the domains listed here and their subdomains: it takes nothing from anywhere else, and
            sends nothing anywhere else.
          </p>
          {allowed.length === 0 ? (
            <p class="secondary">No domain is listed: {ctx.instanceName} federates with none.</p>
          ) : (
            <ScrollableTable label="Domains federated with">
              <table>
                <caption class="visually-hidden">Domains federated with</caption>
                <thead>
                  <tr>
                    <th scope="col">Domain</th>
                    <th scope="col">Note</th>
                    <th scope="col">Listed since</th>
                  </tr>
                </thead>
                <tbody>
                  {allowed.map((a) => (
                    <tr>
                      <td>{a.domain}</td>
                      <td>{a.note || <span class="secondary">No note</span>}</td>
                      <td>
                        <DateText date={a.createdAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollableTable>
          )}
        </section>
      ) : null}
      {mode === "allowlist" ? <h2>Blocked domains</h2> : <h1>Blocked domains</h1>}
      <p>
        {ctx.instanceName} takes nothing from these domains and their subdomains, and sends nothing to them. People there cannot follow
        anyone here.
      </p>
      {blocks.length === 0 ? (
        <p class="secondary">No domain is blocked.</p>
      ) : (
        <ScrollableTable label="Blocked domains and the reasons for blocking them">
          <table>
            <caption class="visually-hidden">Blocked domains and the reasons for blocking them</caption>
            <thead>
              <tr>
                <th scope="col">Domain</th>
                <th scope="col">Reason</th>
                <th scope="col">Blocked since</th>
              </tr>
            </thead>
            <tbody>
              {blocks.map((b) => (
                <tr>
                  <td>{b.domain}</td>
                  <td>{b.reason || <span class="secondary">No reason given</span>}</td>
                  <td>
                    <DateText date={b.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollableTable>
      )}
      <h2>Blocked accounts</h2>
      <p>
        {ctx.instanceName} also blocks single accounts elsewhere. An account is a person, so its name is not published here: its server and
        the reason are.
      </p>
      {accounts.length === 0 ? (
        <p class="secondary">No account is blocked.</p>
      ) : (
        <ScrollableTable label="Blocked accounts: their servers and the reasons for blocking them">
          <table>
            <caption class="visually-hidden">Blocked accounts: their servers and the reasons for blocking them</caption>
            <thead>
              <tr>
                <th scope="col">Server</th>
                <th scope="col">Reason</th>
                <th scope="col">Blocked since</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr>
                  <td>{a.server}</td>
                  <td>{a.reason}</td>
                  <td>
                    <DateText date={a.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollableTable>
      )}
    </Layout>
  );
}

/** A list of domains (blocked, or allowed) with each one's public note, its date, and a button that takes it off the list. */
function DomainTable(props: {
  ctx: PageContext;
  labelledBy: string;
  noteHeading: string;
  dateHeading: string;
  rows: { domain: string; note: string; createdAt: Date }[];
  action: string;
  button: (domain: string) => Child;
}) {
  return (
    <div class="table-scroll">
      <table aria-labelledby={props.labelledBy}>
        <thead>
          <tr>
            <th scope="col">Domain</th>
            <th scope="col">{props.noteHeading}</th>
            <th scope="col">{props.dateHeading}</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr>
              <td>{row.domain}</td>
              <td>{row.note || <span class="secondary">None given</span>}</td>
              <td>
                <DateText date={row.createdAt} />
              </td>
              <td>
                <form method="post" action={props.action}>
                  <CsrfField token={props.ctx.csrfToken} />
                  <input type="hidden" name="domain" value={row.domain} />
                  <button type="submit" class="button button-secondary">
                    {props.button(row.domain)}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
