import type { Decision } from "../../domain/decisions.ts";
import type { Actor, CommunityPost, Membership, MembershipElsewhere, Post, RemoteMember } from "../../domain/types.ts";
import type { PageContext } from "./context.ts";
import { CommunityMembers, PersonCommunities } from "./actor-people.tsx";
import { raw } from "hono/html";
import { renderMarkdown } from "../../domain/markdown.ts";
import { FollowBox, Notice, PostList, type PostNames, RemoteLink } from "./components.tsx";
import { LatestDecisions } from "./decision-parts.tsx";
import { Layout } from "./layout.tsx";

import { MemberPosts } from "./member-posts.tsx";
import type { Neighbours } from "../../domain/paging.ts";
import { PagingLinks } from "./paging-links.tsx";
import { actorPath } from "../../domain/urls.ts";
import {
  actorFeedPath,
  CHANGE_PASSWORD_PATH,
  communityDecisionsPath,
  communityModerationPath,
  communityProfilePath,
  DECISIONS_PATH,
  newDecisionPath,
  PROFILE_PATH,
  referredPath,
} from "../../domain/urls.ts";

/** The bio, or a community's purpose and description, and the profile's links. */
function ProfileText({ actor }: { actor: Actor }) {
  const isCommunity = actor.kind === "community";
  if (!actor.summary && !actor.description && actor.profileLinks.length === 0) return null;
  return (
    <section aria-labelledby="about">
      <h2 id="about" class="visually-hidden">
        {isCommunity ? "Purpose" : "About"}
      </h2>
      {actor.summary ? <div class={isCommunity ? "prose lede" : "prose"}>{raw(renderMarkdown(actor.summary))}</div> : null}
      {isCommunity && actor.description ? <div class="prose">{raw(renderMarkdown(actor.description))}</div> : null}
      {actor.profileLinks.length > 0 ? (
        <ul class="link-list profile-links" aria-label="Links">
          {actor.profileLinks.map((link) => (
            <li>
              <RemoteLink href={link.url}>{link.name}</RemoteLink>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** A community (purpose, members and roles, weeknotes, decisions) or a person (memberships, weeknotes, decisions they proposed). */
export function ActorPage(props: {
  ctx: PageContext;
  actor: Actor;
  memberships: Membership[];
  /** A community's active members on other servers. */
  remoteMembers: RemoteMember[];
  /** A person's active memberships of communities on other servers. */
  membershipsElsewhere: MembershipElsewhere[];
  /** A community's latest posts by its members elsewhere. */
  remotePosts: CommunityPost[];
  posts: Post[];
  /** The older and newer pages of its weeknotes. */
  pages?: Neighbours;
  /** A community's latest decision records, or those a person proposed. */
  decisions: Decision[];
  /** Names of the authors and communities of the posts and decisions. */
  names: PostNames;
  followers: number;
  mayPublish: boolean;
  /** Whether the viewer may manage this community's members. */
  mayManage: boolean;
  /** Whether the viewer may take members' posts from elsewhere out of this community. */
  mayModerate: boolean;
  notice?: string;
}) {
  const { ctx, actor } = props;
  const isCommunity = actor.kind === "community";
  const feed = { title: `Weeknotes ${isCommunity ? "in" : "by"} ${actor.displayName}`, href: actorFeedPath(actor.handle) };
  return (
    <Layout ctx={ctx} title={actor.displayName} feeds={[feed]} description={actor.summary || undefined}>
      <div class="profile-head">
        {actor.avatarUrl ? <img class="avatar" src={actor.avatarUrl} alt={actor.avatarAlt} width={96} height={96} /> : null}
        <div>
          <p class="secondary">{isCommunity ? "Community" : "Person"}</p>
          <h1>{actor.displayName}</h1>
        </div>
      </div>
      <Notice message={props.notice} />
      {actor.jobTitle ? <p class="lede">{actor.jobTitle}</p> : null}
      <ProfileText actor={actor} />
      {props.mayManage || (!isCommunity && ctx.viewer?.id === actor.id) ? (
        <p>
          <a class="button button-secondary" href={isCommunity ? communityProfilePath(actor.handle) : PROFILE_PATH}>
            {isCommunity ? "Edit the community's profile" : "Edit your profile"}
          </a>
        </p>
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
      {!isCommunity && ctx.viewer?.id === actor.id ? (
        <p>
          <a class="button button-secondary" href={CHANGE_PASSWORD_PATH}>
            Change your password
          </a>
        </p>
      ) : null}
      {isCommunity && props.mayModerate ? (
        <p>
          <a class="button button-secondary" href={communityModerationPath(actor.handle)}>
            Moderation: replies and blocked accounts
          </a>
        </p>
      ) : null}
      <div class="two-columns">
        <div>
          <section aria-labelledby="weeknotes">
            <h2 id="weeknotes">Weeknotes</h2>
            <PostList posts={props.posts} names={props.names} />
            {props.pages ? <PagingLinks pages={props.pages} path={actorPath(actor.handle)} label="More weeknotes" /> : null}
          </section>
          <MemberPosts
            posts={props.remotePosts}
            withdraw={props.mayModerate ? { community: actor, csrfToken: ctx.csrfToken } : undefined}
          />
        </div>
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
          {isCommunity ? (
            <p class="back-link">
              <a href={referredPath(actor.handle)}>Input referred to {actor.displayName}</a>
            </p>
          ) : null}
          <FollowBox handle={actor.handle} host={ctx.host} kind={isCommunity ? "community" : "person"} />
          {isCommunity ? (
            <CommunityMembers
              ctx={ctx}
              community={actor}
              memberships={props.memberships}
              remoteMembers={props.remoteMembers}
              mayManage={props.mayManage}
            />
          ) : (
            <PersonCommunities ctx={ctx} memberships={props.memberships} elsewhere={props.membershipsElsewhere} />
          )}
        </aside>
      </div>
    </Layout>
  );
}
