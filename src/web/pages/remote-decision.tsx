import { raw } from "hono/html";
import type { RemoteDecision } from "../../domain/decisions.ts";
import { RemoteLink } from "./components.tsx";
import { DecisionTime, HistoryEntryText, StatusTag } from "./decision-parts.tsx";

const Time = ({ iso }: { iso: string | null }) => (iso ? <DecisionTime date={new Date(iso)} /> : null);

/** A field of the record, left out when the record has nothing in it. */
function Field({ term, show, children }: { term: string; show: boolean; children?: unknown }) {
  return show ? (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  ) : null;
}

/**
 * A decision record from another Connexo instance, shown as a record: its
 * status, fields and history, read from Connexo's terms. Its HTML was
 * sanitised when it arrived; its links are http(s) only.
 */
export function RemoteDecisionRecord({ decision: d }: { decision: RemoteDecision }) {
  return (
    <div class="remote-decision">
      <p>
        <StatusTag status={d.status} />
      </p>
      <dl class="record-fields">
        <Field term="Question" show={d.question !== ""}>
          {d.question}
        </Field>
        <Field term="Context" show={d.contextHtml !== ""}>
          <div class="prose">{raw(d.contextHtml)}</div>
        </Field>
        <Field term="Options considered" show={d.options.length > 0}>
          <ul>
            {d.options.map((o) => (
              <li>
                <strong>{o.title}</strong>
                <div class="prose">{raw(o.descriptionHtml)}</div>
              </li>
            ))}
          </ul>
        </Field>
        <Field term="Decision" show={d.decisionHtml !== ""}>
          <div class="prose">{raw(d.decisionHtml)}</div>
        </Field>
        <Field term="Rationale" show={d.rationaleHtml !== ""}>
          <div class="prose">{raw(d.rationaleHtml)}</div>
        </Field>
        <Field term="Consequences" show={d.consequencesHtml !== ""}>
          <div class="prose">{raw(d.consequencesHtml)}</div>
        </Field>
        <Field term="Who decided" show={d.deciders.length > 0}>
          <ul>
            {d.deciders.map((p) => (
              <li>
                <RemoteLink href={p.uri}>{p.name}</RemoteLink>
              </li>
            ))}
          </ul>
        </Field>
        <Field term="Dates" show={true}>
          <ul>
            {d.proposedAt ? (
              <li>
                Proposed <Time iso={d.proposedAt} />
              </li>
            ) : null}
            {d.consultationClosesAt ? (
              <li>
                {d.status === "open" ? "Comments close" : "Comments closed"} <Time iso={d.consultationClosesAt} />
              </li>
            ) : null}
            {d.decidedAt ? (
              <li>
                Decided <Time iso={d.decidedAt} />
              </li>
            ) : null}
          </ul>
        </Field>
        <Field term="Informed by" show={d.informedBy.length > 0}>
          <ul>
            {d.informedBy.map((i) => (
              <li>
                <RemoteLink href={i.url} or={i.uri}>
                  {i.authorName ? `A post by ${i.authorName}` : "A post"}
                </RemoteLink>
                : {i.note}
              </li>
            ))}
          </ul>
        </Field>
        <Field term="Superseded by" show={d.supersededBy !== null}>
          <RemoteLink href={d.supersededBy}>The decision record that replaced this one</RemoteLink>
        </Field>
        <Field term="Supersedes" show={d.supersedes.length > 0}>
          <ul>
            {d.supersedes.map((url) => (
              <li>
                <RemoteLink href={url}>An earlier decision record</RemoteLink>
              </li>
            ))}
          </ul>
        </Field>
      </dl>
      {d.history.length > 0 ? (
        <details>
          <summary>
            History ({d.history.length} {d.history.length === 1 ? "entry" : "entries"})
          </summary>
          <ol class="history">
            {d.history.map((entry) => (
              <li>
                <HistoryEntryText entry={entry} at={new Date(entry.at)} who={entry.actorName ?? "Automatically"} />
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </div>
  );
}
