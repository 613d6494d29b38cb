import type { DeadLetter, DeadLetterGroup } from "../../services/dead-letters.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, DateText, Notice } from "./components.tsx";
import { Layout } from "./layout.tsx";

/** The form value that stands for messages concerning no remote server. */
export const NO_SERVER = "none";

const serverLabel = (origin: string | null) => origin ?? "No remote server (our own events and fan-outs)";

const plural = (n: number) => `${n} ${n === 1 ? "message" : "messages"}`;

/** Messages that failed too often, by remote server, each with Retry and Discard. */
export function DeadLettersPage({ ctx, groups, notice }: { ctx: PageContext; groups: DeadLetterGroup[]; notice?: string }) {
  return (
    <Layout ctx={ctx} title="Failed messages">
      <p>
        <a href="/admin">Back to administration</a>
      </p>
      <h1>Failed messages</h1>
      <Notice message={notice} />
      <p>
        Messages to and from other servers are tried again with growing pauses. Those that still failed after every attempt wait here. Retry
        puts a message back on the queue, to be tried at once with its attempts counted afresh; Discard deletes it for good.
      </p>
      {groups.length === 0 ? (
        <p class="secondary">No messages have failed.</p>
      ) : (
        groups.map((group, i) => <ServerGroup ctx={ctx} group={group} index={i} />)
      )}
    </Layout>
  );
}

function ServerGroup({ ctx, group, index }: { ctx: PageContext; group: DeadLetterGroup; index: number }) {
  const titleId = `server-${index}`;
  const label = serverLabel(group.origin);
  const origin = group.origin ?? NO_SERVER;
  return (
    <section aria-labelledby={titleId}>
      <h2 id={titleId}>{label}</h2>
      <p>
        {plural(group.count)}
        {group.messages.length < group.count ? `, of which the newest ${group.messages.length} are listed` : ""}.
      </p>
      <div class="button-group">
        <form method="post" action="/admin/dead-letters/servers/retry">
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="origin" value={origin} />
          <button type="submit" class="button">
            Retry all<span class="visually-hidden"> for {label}</span>
          </button>
        </form>
        <form method="post" action="/admin/dead-letters/servers/discard">
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="origin" value={origin} />
          <button type="submit" class="button button-secondary">
            Discard all<span class="visually-hidden"> for {label}</span>
          </button>
        </form>
      </div>
      <div class="table-scroll">
        <table aria-labelledby={titleId}>
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Message</th>
              <th scope="col">Attempts</th>
              <th scope="col">Failed for the last time</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {group.messages.map((letter) => (
              <LetterRow ctx={ctx} letter={letter} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const KIND_LABELS: Record<DeadLetter["kind"], string> = {
  delivery: "Delivery",
  received: "Received activity",
  "fan-out": "Sending to followers",
  event: "Event",
  other: "Message",
};

function LetterRow({ ctx, letter }: { ctx: PageContext; letter: DeadLetter }) {
  const party = letter.party ? (letter.kind === "delivery" ? `to ${letter.party}` : `from ${letter.party}`) : null;
  return (
    <tr>
      <td>{letter.id}</td>
      <td>
        {KIND_LABELS[letter.kind]}
        {letter.type ? <>: {letter.type}</> : null}
        {party ? (
          <>
            <br />
            <span class="secondary">{party}</span>
          </>
        ) : null}
        {letter.activityId ? (
          <>
            <br />
            <span class="secondary">{letter.activityId}</span>
          </>
        ) : null}
      </td>
      <td>{letter.attempts}</td>
      <td>
        <DateText date={new Date(letter.diedAt)} />
      </td>
      <td>
        <div class="button-group">
          <form method="post" action={`/admin/dead-letters/${letter.id}/retry`}>
            <CsrfField token={ctx.csrfToken} />
            <button type="submit" class="button">
              Retry<span class="visually-hidden"> message {letter.id}</span>
            </button>
          </form>
          <form method="post" action={`/admin/dead-letters/${letter.id}/discard`}>
            <CsrfField token={ctx.csrfToken} />
            <button type="submit" class="button button-secondary">
              Discard<span class="visually-hidden"> message {letter.id}</span>
            </button>
          </form>
        </div>
      </td>
    </tr>
  );
}
