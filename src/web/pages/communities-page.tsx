import type { Directory } from "../../services/reading.ts";
import type { PageContext } from "./context.ts";
import { RemoteLink } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { organisationOf, remoteNameOf, remotePageOf } from "../../domain/remote-actor-names.ts";
import { actorPath } from "../../domain/urls.ts";

const members = (n: number) => `${n} ${n === 1 ? "member" : "members"}`;

/** Every community this instance takes part in: its own, then those elsewhere that its people are in or follow. */
export function CommunitiesPage({ ctx, communities, elsewhere }: { ctx: PageContext } & Directory) {
  return (
    <Layout ctx={ctx} title="Communities">
      <h1>Communities</h1>
      <section aria-labelledby="here-title">
        <h2 id="here-title">On {ctx.instanceName}</h2>
        {communities.length === 0 ? (
          <p class="secondary">No communities here yet.</p>
        ) : (
          <ul class="link-list" id="here">
            {communities.map(({ community, members: count }) => (
              <li>
                <a href={actorPath(community.handle)}>{community.displayName}</a>
                {community.summary ? <p>{community.summary}</p> : null}
                <span class="secondary">{members(count)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="elsewhere-title">
        <h2 id="elsewhere-title">Elsewhere</h2>
        <p>Communities on other servers that people here belong to or follow.</p>
        {elsewhere.length === 0 ? (
          <p class="secondary">None yet.</p>
        ) : (
          <ul class="link-list" id="elsewhere">
            {elsewhere.map(({ community, members: count, followed }) => (
              <li>
                <RemoteLink href={remotePageOf(community)}>{remoteNameOf(community)}</RemoteLink>
                <br />
                <span class="secondary">
                  {organisationOf(community)}
                  {count > 0 ? ` · ${members(count)} from here` : null}
                  {followed ? " · followed from here" : null}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}
