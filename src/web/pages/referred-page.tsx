import { raw } from "hono/html";
import type { ReferredInput } from "../../domain/outcomes.ts";
import { actorPath } from "../../domain/urls.ts";
import type { ReferredPage as ReferredData } from "../../services/inputs.ts";
import type { PageContext } from "./context.ts";
import { DateText, RemoteLink } from "./components.tsx";
import { Layout } from "./layout.tsx";

/** Replies to consultations passed on to a community here, each with who wrote it, who referred it, from which record, and why. */
export function ReferredPage({ ctx, community, entries, more }: ReferredData & { ctx: PageContext }) {
  const heading = `Input referred to ${community.displayName}`;
  return (
    <Layout ctx={ctx} title={heading}>
      <p class="secondary back-link">
        Community: <a href={actorPath(community.handle)}>{community.displayName}</a>
      </p>
      <h1>{heading}</h1>
      <p class="lede">Replies to consultations that another community, here or on another instance, passed on to this one, with why.</p>
      {entries.length === 0 ? (
        <p>Nothing has been referred to {community.displayName} yet.</p>
      ) : (
        <>
          <p class="secondary">{more ? `The latest ${entries.length}, newest first; there are more.` : "Newest first."}</p>
          <ol class="replies input-list">
            {entries.map((entry, i) => (
              <Entry entry={entry} id={`referred-${i + 1}`} />
            ))}
          </ol>
        </>
      )}
    </Layout>
  );
}

function Entry({ entry, id }: { entry: ReferredInput; id: string }) {
  const author = entry.authorName ?? entry.authorUri ?? "Someone";
  return (
    <li class="reply">
      <article aria-labelledby={id}>
        <h2 id={id}>
          From <RemoteLink href={entry.authorUri}>{author}</RemoteLink>
        </h2>
        <div class="prose">{raw(entry.contentHtml)}</div>
        <p class="meta">
          Referred by <RemoteLink href={entry.referredByUri}>{entry.referredByName ?? entry.referredByUri}</RemoteLink>
          {entry.recordUri ? (
            <>
              {" "}
              from <RemoteLink href={entry.recordUri}>the consultation</RemoteLink>
            </>
          ) : null}{" "}
          · <DateText date={entry.receivedAt} /> ·{" "}
          <RemoteLink href={entry.objectUrl} or={entry.objectUri}>
            The reply where it was written
          </RemoteLink>
        </p>
        {entry.note ? (
          <p class="referral-note">
            <strong>Why:</strong> {entry.note}
          </p>
        ) : null}
      </article>
    </li>
  );
}
