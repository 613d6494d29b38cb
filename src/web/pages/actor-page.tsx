import type { Actor, Membership, Post } from "../../domain/types.ts";
import type { PageContext } from "./context.ts";
import { FollowBox, PostList, type PostNames } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { ROLE_NAMES } from "./roles.ts";

/** A community (purpose, members and roles, weeknotes) or a person (memberships, weeknotes). */
export function ActorPage(props: {
  ctx: PageContext;
  actor: Actor;
  memberships: Membership[];
  posts: Post[];
  names: PostNames;
  followers: number;
  mayPublish: boolean;
  /** Whether the viewer may manage this community's members. */
  mayManage: boolean;
}) {
  const { ctx, actor } = props;
  const isCommunity = actor.kind === "community";
  const feed = { title: `Weeknotes ${isCommunity ? "in" : "by"} ${actor.displayName}`, href: `/@${actor.handle}/feed.atom` };
  return (
    <Layout ctx={ctx} title={actor.displayName} feeds={[feed]} description={actor.summary || undefined}>
      <p class="secondary">{isCommunity ? "Community" : "Person"}</p>
      <h1>{actor.displayName}</h1>
      {actor.jobTitle ? <p class="lede">{actor.jobTitle}</p> : null}
      {actor.summary ? (
        <section aria-labelledby="about" class="prose">
          <h2 id="about" class="visually-hidden">{isCommunity ? "Purpose" : "About"}</h2>
          <p class={isCommunity ? "lede" : undefined}>{actor.summary}</p>
        </section>
      ) : null}
      <p class="secondary">
        {props.followers} {props.followers === 1 ? "follower" : "followers"} on the fediverse ·{" "}
        <a href={feed.href}>Atom feed</a>
      </p>
      {props.mayPublish ? (
        <p>
          <a class="button" href={`/compose?community=${actor.handle}`}>Write a weeknote in {actor.displayName}</a>
        </p>
      ) : null}
      <div class="two-columns">
        <section aria-labelledby="weeknotes">
          <h2 id="weeknotes">Weeknotes</h2>
          <PostList posts={props.posts} names={props.names} />
        </section>
        <aside>
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
                      <a href={`/@${other.handle}`}>{other.displayName}</a>
                      <br />
                      <span class="secondary">{ROLE_NAMES[m.role]}</span>
                    </li>
                  );
                })}
              </ul>
            )}
            {props.mayManage ? (
              <p>
                <a class="button button-secondary" href={`/@${actor.handle}/members`}>Manage members</a>
              </p>
            ) : null}
          </section>
        </aside>
      </div>
    </Layout>
  );
}
