import { DECISION_STATUSES, STATUS_LABELS, type Decision, type DecisionStatus } from "../../domain/decisions.ts";
import type { Actor } from "../../domain/types.ts";
import type { PageContext } from "./context.ts";
import { describedBy, ErrorSummary, Field, TextInput, type FieldErrors, type PostNames } from "./components.tsx";
import { DecisionList } from "./decision-parts.tsx";
import { Layout } from "./layout.tsx";
import { actorPath, communityDecisionsPath, DECISIONS_PATH, impactPath } from "../../domain/urls.ts";
import { useTimeZone } from "./time-zone-context.tsx";

/** The register's filter as typed (kept as text, so a wrong value can be shown again and corrected). */
export interface RegisterQuery {
  status: string;
  community: string;
  tag: string;
  from: string;
  to: string;
}

/** The instance's register (any community) or one community's. */
export type RegisterScope =
  | { kind: "instance"; communities: { handle: string; displayName: string }[] }
  | { kind: "community"; community: Actor };

export interface RegisterResult {
  items: Decision[];
  hasMore: boolean;
  counts: Record<DecisionStatus, number>;
}

export interface RegisterPageProps {
  ctx: PageContext;
  scope: RegisterScope;
  query: RegisterQuery;
  page: number;
  errors: FieldErrors;
  /** Null when the filter could not be used. */
  result: RegisterResult | null;
  /** The communities' names, for the list. */
  names: PostNames;
}

export const FILTER_LABELS: Record<keyof RegisterQuery, string> = {
  status: "Status",
  community: "Community",
  tag: "Tag",
  from: "Proposed on or after",
  to: "Proposed on or before",
};

export const registerPath = (scope: RegisterScope) =>
  scope.kind === "community" ? communityDecisionsPath(scope.community.handle) : DECISIONS_PATH;

export const registerFeedPath = (scope: RegisterScope) => `${registerPath(scope)}/feed.atom`;

/** The register's address with this filter (empty values left out) and page. */
export function registerHref(path: string, query: RegisterQuery, page = 1): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** Decision records, filtered and counted by status, a page at a time. */
export function RegisterPage(props: RegisterPageProps) {
  const { ctx, scope } = props;
  const heading = scope.kind === "community" ? `Decisions in ${scope.community.displayName}` : "Decision register";
  const feedTitle = scope.kind === "community" ? `Decisions in ${scope.community.displayName}` : `Decisions on ${ctx.instanceName}`;
  const hasErrors = Object.keys(props.errors).length > 0;
  return (
    <Layout ctx={ctx} title={hasErrors ? `Error: ${heading}` : heading} feeds={[{ title: feedTitle, href: registerFeedPath(scope) }]}>
      {scope.kind === "community" ? (
        <p class="secondary">
          <a href={actorPath(scope.community.handle)}>{scope.community.displayName}</a>
        </p>
      ) : null}
      <h1>{heading}</h1>
      <p class="lede">
        Every decision {scope.kind === "community" ? "this community has" : "the communities here have"} recorded or proposed: what was
        asked, what was decided and why, and how it got there.
      </p>
      <p>
        <a href={impactPath(scope.kind === "community" ? scope.community.handle : undefined)}>
          What consultations changed: replies and their outcomes
        </a>
      </p>
      <ErrorSummary errors={props.errors} labels={FILTER_LABELS} />
      <div class="register">
        <div>
          <FilterForm {...props} />
          {props.result ? <StatusCounts {...props} result={props.result} /> : null}
        </div>
        {props.result ? <Results {...props} result={props.result} /> : null}
      </div>
    </Layout>
  );
}

/** A plain GET form: the filter is in the address, so a filtered register can be bookmarked and shared. */
function FilterForm({ scope, query, errors }: RegisterPageProps) {
  return (
    <section aria-labelledby="filter-title">
      <h2 id="filter-title">Filter records</h2>
      <form method="get" action={registerPath(scope)} class="filter-form">
        <Select
          name="status"
          label={FILTER_LABELS.status}
          value={query.status}
          error={errors.status}
          options={[{ value: "", label: "Any status" }, ...DECISION_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))]}
        />
        {scope.kind === "instance" ? (
          <Select
            name="community"
            label={FILTER_LABELS.community}
            value={query.community}
            error={errors.community}
            options={[{ value: "", label: "Any community" }, ...scope.communities.map((c) => ({ value: c.handle, label: c.displayName }))]}
          />
        ) : null}
        <TextInput
          name="tag"
          label={FILTER_LABELS.tag}
          value={query.tag}
          error={errors.tag}
          hint="One tag, such as budget."
          spellcheck={false}
        />
        <DateInput name="from" label={FILTER_LABELS.from} value={query.from} error={errors.from} />
        <DateInput name="to" label={FILTER_LABELS.to} value={query.to} error={errors.to} />
        <div class="button-group">
          <button type="submit" class="button">
            Show records
          </button>
          <a href={registerPath(scope)}>Clear the filter</a>
        </div>
      </form>
    </section>
  );
}

function Select(props: { name: string; label: string; value: string; error?: string; options: { value: string; label: string }[] }) {
  return (
    <Field name={props.name} label={props.label} error={props.error}>
      <select
        id={props.name}
        name={props.name}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy(props.name, undefined, props.error)}
      >
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A day, typed day first; the days begin and end at midnight in the instance's time zone. */
function DateInput(props: { name: string; label: string; value: string; error?: string }) {
  const hint = `Day, month and year, such as 31/03/2026 (days in ${useTimeZone()} time).`;
  return (
    <Field name={props.name} label={props.label} hint={hint} error={props.error}>
      <input
        type="text"
        autocomplete="off"
        spellcheck={false}
        id={props.name}
        name={props.name}
        value={props.value}
        class="input-narrow"
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy(props.name, hint, props.error)}
      />
    </Field>
  );
}

/** How many records are in each status under the rest of the filter; each links to that status. */
function StatusCounts({ scope, query, result }: RegisterPageProps & { result: RegisterResult }) {
  const path = registerPath(scope);
  const total = DECISION_STATUSES.reduce((n, s) => n + result.counts[s], 0);
  const entries = [
    { value: "", label: "Any status", count: total },
    ...DECISION_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s], count: result.counts[s] })),
  ];
  return (
    <section aria-labelledby="counts-title">
      <h2 id="counts-title">By status</h2>
      <ul class="link-list status-counts">
        {entries.map((e) => (
          <li>
            <a href={registerHref(path, { ...query, status: e.value })} aria-current={query.status === e.value ? "true" : undefined}>
              {e.label} ({e.count})
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Results({ scope, query, page, result, names }: RegisterPageProps & { result: RegisterResult }) {
  const path = registerPath(scope);
  const total = query.status ? result.counts[query.status as DecisionStatus] : DECISION_STATUSES.reduce((n, s) => n + result.counts[s], 0);
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">
        {total} {total === 1 ? "record" : "records"}
      </h2>
      {page > 1 ? <p class="secondary">Page {page}</p> : null}
      {result.items.length === 0 ? (
        <p>No records match this filter.</p>
      ) : (
        <DecisionList decisions={result.items} names={names} showCommunity={scope.kind === "instance"} registerPath={path} />
      )}
      {page > 1 || result.hasMore ? (
        <nav aria-label="Pages of records">
          <ul class="inline-list">
            {page > 1 ? (
              <li>
                <a href={registerHref(path, query, page - 1)} rel="prev">
                  Previous page
                </a>
              </li>
            ) : null}
            {result.hasMore ? (
              <li>
                <a href={registerHref(path, query, page + 1)} rel="next">
                  Next page
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </section>
  );
}
