import type { Decision } from "../../domain/decisions.ts";
import type { Actor, Post } from "../../domain/types.ts";
import type { PageContext } from "./context.ts";
import { PostList, type PostNames } from "./components.tsx";
import { LatestDecisions } from "./decision-parts.tsx";
import { Layout } from "./layout.tsx";
import type { Neighbours } from "../../domain/paging.ts";
import { PagingLinks } from "./paging-links.tsx";
import { actorPath, DECISIONS_PATH, FEED_PATH, MEMBERSHIPS_PATH } from "../../domain/urls.ts";

export function HomePage(props: {
  ctx: PageContext;
  recent: Post[];
  /** The older and newer pages of weeknotes. */
  pages: Neighbours;
  decisions: Decision[];
  /** Names of the recent posts' and decisions' authors and communities. */
  names: PostNames;
  communities: Actor[];
  needsSetup: boolean;
  /** How many invitations from communities elsewhere wait for the signed-in person's answer. */
  invitations: number;
}) {
  const { ctx } = props;
  const example = props.communities[0]?.handle ?? "team";
  return (
    <Layout ctx={ctx} title={ctx.instanceName} feeds={[{ title: `Weeknotes on ${ctx.instanceName}`, href: FEED_PATH }]}>
      <h1>{ctx.instanceName}</h1>
      <p class="lede">Weeknotes from the people and teams who work here, published in the open and followable from Mastodon.</p>
      {props.needsSetup ? (
        <div class="notice notice-important">
          <p>This instance has not been set up yet. The operator will find a one-time setup link in the server's output.</p>
        </div>
      ) : null}
      {props.invitations > 0 ? (
        <div class="notice notice-important" id="invitations-notice">
          <p>
            <a href={MEMBERSHIPS_PATH}>
              {props.invitations === 1
                ? "You have 1 invitation to join a community"
                : `You have ${props.invitations} invitations to join communities`}
            </a>
          </p>
        </div>
      ) : null}
      <div class="two-columns">
        <section aria-labelledby="latest">
          <h2 id="latest">Latest weeknotes</h2>
          <PostList posts={props.recent} names={props.names} />
          <PagingLinks pages={props.pages} path="/" label="More weeknotes" />
        </section>
        <aside>
          <LatestDecisions
            title="Latest decisions"
            decisions={props.decisions}
            names={props.names}
            showCommunity
            register={{ href: DECISIONS_PATH, label: "All decision records" }}
          />
          <section aria-labelledby="communities">
            <h2 id="communities">Communities</h2>
            {props.communities.length === 0 ? (
              <p class="secondary">No communities yet.</p>
            ) : (
              <ul class="link-list">
                {props.communities.map((community) => (
                  <li>
                    <a href={actorPath(community.handle)}>{community.displayName}</a>
                    <br />
                    <span class="handle secondary">
                      @{community.handle}@{ctx.host}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section class="panel" aria-labelledby="how-to-follow">
            <h2 id="how-to-follow">Follow from Mastodon</h2>
            <p>
              Every community and person here can be followed from Mastodon or any other fediverse server. Search there for an address such
              as{" "}
              <span class="handle">
                @{example}@{ctx.host}
              </span>{" "}
              and choose Follow. Their weeknotes then arrive in your home timeline, and your replies come back here.
            </p>
          </section>
        </aside>
      </div>
    </Layout>
  );
}
