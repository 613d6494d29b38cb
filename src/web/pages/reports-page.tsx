import { raw } from "hono/html";
import type { Report, ReportCategory } from "../../domain/reports.ts";
import { REPORT_CATEGORIES } from "../../domain/reports.ts";
import type { ActorsById } from "../../services/names.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, DateText, describedBy, ErrorSummary, type FieldErrors, Notice, sentence, TextArea } from "./components.tsx";
import { Layout } from "./layout.tsx";

export const REPORTS_PATH = "/reports";
export const NEW_REPORT_PATH = "/reports/new";

/** The address of the form to report what `subject` names (a URI, or a path here). */
export const reportLink = (subject: string) => `${NEW_REPORT_PATH}?subject=${encodeURIComponent(subject)}`;

export const CATEGORY_LABELS: Record<ReportCategory, string> = {
  spam: "Spam",
  abuse: "Abuse or harassment",
  illegal: "Illegal content",
  other: "Something else",
};

const LABELS = { category: "Why are you reporting it?", note: "Anything the moderators should know" };

export interface NewReportPageProps {
  ctx: PageContext;
  subject: string;
  /** How the reported post, reply or account is named. */
  label: string;
  values?: { category: string; note: string };
  errors?: FieldErrors;
}

/** The form to report a post, reply or account; anyone may use it, signed in or not. */
export function NewReportPage({ ctx, subject, label, values = { category: "", note: "" }, errors = {} }: NewReportPageProps) {
  return (
    <Layout ctx={ctx} title="Report">
      <h1>Report {label}</h1>
      <ErrorSummary errors={errors} labels={LABELS} />
      <p>The instance's administrators read every report. A copy of what you report is kept with it, as it is now.</p>
      <form method="post" action={NEW_REPORT_PATH}>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="subject" value={subject} />
        <fieldset
          id="category"
          class={errors.category ? "field field-with-error" : "field"}
          aria-describedby={describedBy("category", undefined, errors.category)}
        >
          <legend>{LABELS.category}</legend>
          {errors.category ? (
            <span class="field-error" id="category-error">
              <span class="visually-hidden">Error: </span>
              {sentence(errors.category)}
            </span>
          ) : null}
          {REPORT_CATEGORIES.map((category) => (
            <div class="radio">
              <input
                type="radio"
                id={`category-${category}`}
                name="category"
                value={category}
                checked={values.category === category}
                required
              />
              <label for={`category-${category}`}>{CATEGORY_LABELS[category]}</label>
            </div>
          ))}
        </fieldset>
        <TextArea
          name="note"
          label={LABELS.note}
          hint="Optional. At most 1000 characters."
          value={values.note}
          error={errors.note}
          rows={4}
        />
        <button type="submit" class="button">
          Send report
        </button>
      </form>
    </Layout>
  );
}

/** Said once a report is sent. */
export function ReportSentPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="Report sent">
      <h1>Thank you</h1>
      <Notice message="Your report was sent to the instance's administrators." />
      <p>
        <a href="/">Back to the front page</a>
      </p>
    </Layout>
  );
}

export interface ReportsPageProps {
  ctx: PageContext;
  reports: Report[];
  names: ActorsById;
  notice?: string;
  errors?: FieldErrors;
  /** An instance administrator sees every action; a community's moderator only those within the community. */
  isAdmin?: boolean;
}

/** Each action's button, when it applies to a report, and whether only the instance's administrators may take it. */
const ACTIONS = [
  {
    value: "hide",
    label: () => "Hide the reply",
    when: (r: Report) => r.subjectKind === "reply",
    admin: false,
  },
  {
    value: "block-in-community",
    label: (community: string) => `Block the account from ${community}`,
    when: (r: Report) => r.remoteAuthorUri !== null && r.communityId !== null,
    admin: false,
  },
  { value: "block-account", label: () => "Block the account", when: (r: Report) => r.remoteAuthorUri !== null, admin: true },
  { value: "block-domain", label: () => "Block the domain", when: (r: Report) => r.remoteAuthorUri !== null, admin: true },
  { value: "dismiss", label: () => "Dismiss", when: () => true, admin: false },
] as const;

/**
 * The open reports, each with what it reports as it was and the forms to act
 * on it: every report for the instance's administrators, those in their
 * communities for a community's moderators.
 */
export function ReportsPage({ ctx, reports, names, notice, errors = {}, isAdmin = false }: ReportsPageProps) {
  return (
    <Layout ctx={ctx} title="Reports">
      {isAdmin ? (
        <p>
          <a href="/admin">Back to administration</a>
        </p>
      ) : null}
      <h1>Reports</h1>
      <Notice message={notice} />
      <ErrorSummary errors={errors} labels={{ note: "Note", action: "Action" }} />
      {isAdmin ? (
        <p>
          Every action on a report is kept in the <a href="/admin/moderation-log">moderation log</a>.
        </p>
      ) : (
        <p>
          These are the open reports about the communities you moderate. Every action on a report is kept in the moderation log, which the
          instance's administrators read.
        </p>
      )}
      {reports.length === 0 ? (
        <p class="secondary">There are no open reports.</p>
      ) : (
        <ol class="reports">
          {reports.map((report, i) => (
            <ReportItem report={report} names={names} n={i + 1} csrfToken={ctx.csrfToken} isAdmin={isAdmin} />
          ))}
        </ol>
      )}
    </Layout>
  );
}

function reporterOf(report: Report, names: ActorsById): string {
  if (report.reporterId !== null) return `@${names.get(report.reporterId)?.handle ?? "someone here"}`;
  if (report.reporterUri) return `${new URL(report.reporterUri).host} (another server)`;
  return "a visitor";
}

function ReportItem({
  report,
  names,
  n,
  csrfToken,
  isAdmin,
}: {
  report: Report;
  names: ActorsById;
  n: number;
  csrfToken: string;
  isAdmin: boolean;
}) {
  const title = `report-${n}-title`;
  const community = report.communityId === null ? null : names.get(report.communityId);
  return (
    <li>
      <article aria-labelledby={title}>
        <h2 id={title}>
          {CATEGORY_LABELS[report.category]}: a{report.subjectKind === "account" ? "n" : ""} {report.subjectKind}
        </h2>
        <p class="meta">
          {community ? <>In {community.displayName} · </> : null}
          Reported by {reporterOf(report, names)} · <DateText date={report.createdAt} />
          {report.forwardedAt ? <> · Forwarded</> : null}
        </p>
        <p>
          <a href={report.subjectUri}>{report.subjectUri}</a>
        </p>
        {report.note ? (
          <blockquote>
            <p>{report.note}</p>
          </blockquote>
        ) : null}
        <section aria-label="As it was when reported">
          <div class="prose snapshot">{raw(report.snapshot)}</div>
        </section>
        <form method="post" action={`${REPORTS_PATH}/${report.id}/resolve`}>
          <CsrfField token={csrfToken} />
          <TextArea name="note" id={`note-${report.id}`} label="Note" hint="Optional; kept in the moderation log." rows={2} />
          <div class="report-actions">
            {ACTIONS.filter((a) => a.when(report) && (isAdmin || !a.admin)).map((a) => (
              <button type="submit" class="button" name="action" value={a.value}>
                {a.label(community?.displayName ?? "the community")}
              </button>
            ))}
          </div>
        </form>
        {isAdmin && report.remoteAuthorUri && !report.forwardedAt ? (
          <form method="post" action={`${REPORTS_PATH}/${report.id}/forward`}>
            <CsrfField token={csrfToken} />
            <button type="submit" class="button">
              Forward to {new URL(report.remoteAuthorUri).host}
            </button>
          </form>
        ) : null}
      </article>
    </li>
  );
}
