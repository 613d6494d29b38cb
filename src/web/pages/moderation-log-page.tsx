import type { ModerationAction } from "../../domain/moderation.ts";
import type { Actor } from "../../domain/types.ts";
import { actorPath } from "../../domain/urls.ts";
import type { ModerationLogPage as LogPage } from "../../services/moderation.ts";
import type { PageContext } from "./context.ts";
import { DateText, Field, RemoteLink, ScrollableTable } from "./components.tsx";
import { Layout } from "./layout.tsx";

/** How each action reads in the log. */
export const ACTION_LABELS: Record<ModerationAction, string> = {
  "reply.hidden": "Hid a reply",
  "reply.restored": "Restored a reply",
  "domain.blocked": "Blocked a domain",
  "domain.unblocked": "Unblocked a domain",
  "domain.allowed": "Allowed a domain",
  "domain.disallowed": "Took a domain off the allow list",
  "account.blocked": "Blocked an account",
  "account.unblocked": "Unblocked an account",
  "report.resolved": "Resolved a report",
  "report.dismissed": "Dismissed a report",
  "report.forwarded": "Forwarded a report",
  "reply.approved": "Approved a held reply",
  "reply.refused": "Refused a held reply",
  "community.reply-policy": "Changed who may reply in a community",
  "community.account-blocked": "Blocked an account from a community",
  "community.account-unblocked": "Unblocked an account from a community",
};

/** The filter as chosen: an action, a community's handle, a person's handle ("" for any). */
export interface LogFilterValues {
  action: string;
  community: string;
  actor: string;
}

export interface ModerationLogPageProps extends LogPage {
  ctx: PageContext;
  filter: LogFilterValues;
  people: Actor[];
  communities: Actor[];
  page: number;
  /** The address of another page of the log, with the same filter. */
  pageHref: (page: number) => string;
}

/** Everything moderators did, newest first, narrowed by action, community or person. */
export function ModerationLogPage(props: ModerationLogPageProps) {
  const { ctx, entries, names, filter } = props;
  return (
    <Layout ctx={ctx} title="Moderation log">
      <p>
        <a href="/admin">Back to administration</a>
      </p>
      <h1>Moderation log</h1>
      <p>Every reply hidden or restored, and every domain blocked or unblocked, by whom and why. Entries are kept and never changed.</p>
      <form method="get" action="/admin/moderation-log" aria-labelledby="log-filter-title">
        <h2 id="log-filter-title">Filter</h2>
        <Select
          name="action"
          label="Action"
          value={filter.action}
          options={[{ value: "", label: "Any action" }, ...Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label }))]}
        />
        <Select
          name="community"
          label="Community"
          value={filter.community}
          options={[{ value: "", label: "Any community" }, ...props.communities.map((c) => ({ value: c.handle, label: c.displayName }))]}
        />
        <Select
          name="actor"
          label="Who acted"
          value={filter.actor}
          options={[
            { value: "", label: "Anyone" },
            ...props.people.map((p) => ({ value: p.handle, label: `${p.displayName} (@${p.handle})` })),
          ]}
        />
        <div class="button-group">
          <button type="submit" class="button">
            Show entries
          </button>
          <a href="/admin/moderation-log">Clear the filter</a>
        </div>
      </form>
      <section aria-labelledby="entries-title">
        <h2 id="entries-title">Entries</h2>
        {entries.length === 0 ? (
          <p class="secondary">No entries{props.page > 1 ? " on this page" : ""}.</p>
        ) : (
          <ScrollableTable label="Moderation log">
            <table id="moderation-log">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Reply or domain</th>
                  <th scope="col">Community</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => {
                  const actor = entry.actorId === null ? undefined : names.get(entry.actorId);
                  const community = entry.communityId === null ? undefined : names.get(entry.communityId);
                  return (
                    <tr>
                      <td>
                        <DateText date={entry.at} />
                      </td>
                      <td>
                        {actor ? (
                          <a href={actorPath(actor.handle)}>{actor.displayName}</a>
                        ) : entry.details.by === "command line" ? (
                          "An operator, at the command line"
                        ) : (
                          "Someone no longer here"
                        )}
                      </td>
                      <td>{ACTION_LABELS[entry.action] ?? entry.action}</td>
                      <td class="log-subject">
                        <RemoteLink href={entry.subject}>{entry.subject}</RemoteLink>
                      </td>
                      <td>{community ? <a href={actorPath(community.handle)}>{community.displayName}</a> : "None"}</td>
                      <td>{entry.reason || <span class="secondary">None given</span>}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollableTable>
        )}
        {props.page > 1 || props.hasMore ? (
          <nav aria-label="Pages of the log" class="button-group">
            {props.page > 1 ? <a href={props.pageHref(props.page - 1)}>Newer entries</a> : null}
            {props.hasMore ? <a href={props.pageHref(props.page + 1)}>Older entries</a> : null}
          </nav>
        ) : null}
      </section>
    </Layout>
  );
}

function Select(props: { name: string; label: string; value: string; options: { value: string; label: string }[] }) {
  return (
    <Field name={props.name} label={props.label}>
      <select id={props.name} name={props.name}>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
