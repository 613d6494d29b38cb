import type { Decision } from "../../domain/decisions.ts";
import type { Actor, Membership, Post } from "../../domain/types.ts";
import type { PageContext } from "./context.ts";
import { FollowBox, PostList, type PostNames } from "./components.tsx";
import { LatestDecisions } from "./decision-parts.tsx";
import { Layout } from "./layout.tsx";
import { ROLE_NAMES } from "./roles.ts";
import { actorFeedPath, actorPath, communityDecisionsPath, DECISIONS_PATH, membersPath, newDecisionPath } from "../../domain/urls.ts";

/** A community (purpose, members and roles, weeknotes, decisions) or a person (memberships, weeknotes, decisions they proposed). */
export function ActorPage(props: {
  ctx: PageContext;
  actor: Actor;
  memberships: Membership[];
  posts: Post[];
  /** A community's latest decision records, or those a person proposed. */
  decisions: Decision[];
  /** Names of the authors and communities of the posts and decisions. */
  names: PostNames;
  followers: number;
  mayPublish: boolean;
  /** Whether the viewer may manage this community's members. */
  mayManage: boolean;
}) {
  const { ctx, actor } = props;
  const isCommunity = actor.kind === "community";
  const feed = { title: `Weeknotes ${isCommunity ? "in" : "by"} ${actor.displayName}`, href: actorFeedPath(actor.handle) };
  return (
    <Layout ctx={ctx} title={actor.displayName} feeds={[feed]} description={actor.summary || undefined}>
      <p class="secondary">{isCommunity ? "Community" : "Person"}</p>
      <h1>{actor.displayName}</h1>
      {actor.jobTitle ? <p class="lede">{actor.jobTitle}</p> : null}
      {actor.summary ? (
        <section aria-labelledby="about" class="prose">
          <h2 id="about" class="visually-hidden">
            {isCommunity ? "Purpose" : "About"}
          </h2>
          <p class={isCommunity ? "lede" : undefined}>{actor.summary}</p>
        </section>
      ) : null}
      <p class="secondary">
        {props.followers} {props.followers === 1 ? "follower" : "followers"} on the fediverse · <a href={feed.href}>Atom feed</a>
      </p>
      {props.mayPublish ? (
        <p class="button-group">
          <a class="button" href={`/compose?community=${actor.handle}`}>
            Write a weeknote in {actor.displayName}
          </a>
          <a class="button button-secondary" href={newDecisionPath(actor.handle)}>
            Record a decision
          </a>
        </p>
      ) : null}
      <div class="two-columns">
        <section aria-labelledby="weeknotes">
          <h2 id="weeknotes">Weeknotes</h2>
          <PostList posts={props.posts} names={props.names} />
        </section>
        <aside>
          {isCommunity ? (
            <LatestDecisions
              title="Decisions"
              decisions={props.decisions}
              names={props.names}
              showCommunity={false}
              register={{ href: communityDecisionsPath(actor.handle), label: `All decisions in ${actor.displayName}` }}
            />
          ) : props.decisions.length > 0 ? (
            // Most people never propose one: the section appears only for those who did.
            <LatestDecisions
              title="Decisions proposed"
              decisions={props.decisions}
              names={props.names}
              showCommunity
              register={{ href: DECISIONS_PATH, label: "All decision records" }}
            />
          ) : null}
          <FollowBox handle={actor.handle} host={ctx.host} kind={isCommunity ? "community" : "person"} />
          <section aria-labelledby="people">
            <h2 id="people">{isCommunity ? "Members" : "Communities"}</h2>
            {props.memberships.length === 0 ? (
              <p class="secondary">{isCommunity ? "No members yet." : "Not a member of any community yet."}</p>
            ) : (
              <ul class="link-list">
                {props.memberships.map((m) => {
                  const other = isCommunity ? m.person : m.community;
                  return (
                    <li>
                      <a href={actorPath(other.handle)}>{other.displayName}</a>
                      <br />
                      <span class="secondary">{ROLE_NAMES[m.role]}</span>
                    </li>
                  );
                })}
              </ul>
            )}
            {props.mayManage ? (
              <p>
                <a class="button button-secondary" href={membersPath(actor.handle)}>
                  Manage members
                </a>
              </p>
            ) : null}
          </section>
        </aside>
      </div>
    </Layout>
  );
}
