import { Hono } from "hono";
import { notFound } from "../../domain/errors.ts";
import type { Post } from "../../domain/types.ts";
import { can } from "../../services/permissions.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { ActorPage } from "../pages/actor-page.tsx";
import { ErrorPage } from "../pages/error-page.tsx";
import { HomePage } from "../pages/home-page.tsx";
import { PostPage, type ThreadEntry } from "../pages/post-page.tsx";
import { TagPage } from "../pages/tag-page.tsx";
import type { PageContext } from "../pages/context.ts";
import type { Render } from "../render.ts";
import { namesFor, threadFor } from "./page-data.ts";

/** How many decision records the home and community pages show: the register has the rest. */
const LATEST_DECISIONS = 5;

const countEntries = (entries: ThreadEntry[]): number => entries.reduce((n, e) => n + 1 + countEntries(e.children), 0);

const wantsActivityJson = (accept: string | undefined) => /application\/(activity\+json|ld\+json)/.test(accept ?? "");

/**
 * The pages anyone can read. The same URLs serve ActivityPub JSON to servers:
 * Fedify answers those first, and what it leaves (HTML, and gone posts) comes here.
 */
export function publicRoutes({ services, config }: WebDeps, render: Render) {
  const app = new Hono<WebEnv>();

  app.get("/", async (c) => {
    const [communities, recent, decisions, needsSetup] = await Promise.all([
      services.actors.list("community"),
      services.store.posts.listRecent(20),
      services.store.decisions.list({}, LATEST_DECISIONS, 0),
      services.setup.needsSetup(),
    ]);
    const names = await namesFor(services, [...recent, ...decisions.map((d) => d.post)]);
    return render(c, (ctx) => (
      <HomePage
        ctx={ctx}
        recent={recent}
        decisions={decisions}
        names={names}
        communities={communities.filter((a) => !a.deactivatedAt)}
        needsSetup={needsSetup}
      />
    ));
  });

  app.get("/:handle{@[a-z0-9_]+}", async (c) => {
    const actor = await services.actors.find(c.req.param("handle").slice(1));
    if (!actor || actor.kind === "instance") throw notFound("There is no one here by that name.");
    if (actor.deactivatedAt) {
      const message = `${actor.displayName}'s account is no longer active here. What they published stays in their communities.`;
      return render(c, (ctx) => <ErrorPage ctx={ctx} status={410} message={message} />, 410);
    }
    const isCommunity = actor.kind === "community";
    const [memberships, page, followers, decisions] = await Promise.all([
      isCommunity ? services.store.actors.membershipsOfCommunity(actor.id) : services.store.actors.membershipsOfPerson(actor.id),
      services.store.posts.listByActor(actor.id, null, 30, ["weeknote"]),
      services.store.follows.countFollowers(actor.id),
      services.store.decisions.list(isCommunity ? { communityId: actor.id } : { authorId: actor.id }, LATEST_DECISIONS, 0),
    ]);
    // Decision records are listed on their own, with their status.
    const posts = page.items;
    const viewer = c.get("viewer");
    const mayPublish = isCommunity && viewer !== null && can(await services.store.actors.membership(actor.id, viewer.id), "publish");
    const mayManage = isCommunity && (await services.actors.mayManageMembers(viewer, actor));
    const names = await namesFor(services, [...posts, ...decisions.map((d) => d.post)]);
    const visible = memberships.filter((m) => !m.person.deactivatedAt);
    return render(c, (ctx) => (
      <ActorPage
        ctx={ctx}
        actor={actor}
        memberships={visible}
        posts={posts}
        decisions={decisions}
        names={names}
        followers={followers}
        mayPublish={mayPublish}
        mayManage={mayManage}
      />
    ));
  });

  /** The latest records a person proposed, among their latest posts. */
  app.get("/tags/:tag", async (c) => {
    const tag = c.req.param("tag").toLowerCase();
    const posts = await services.weeknotes.tagged(tag);
    const names = await namesFor(services, posts);
    return render(c, (ctx) => <TagPage ctx={ctx} tag={tag} posts={posts} names={names} />);
  });

  for (const prefix of ["posts", "notes"] as const) {
    app.get(`/${prefix}/:id`, async (c) => {
      const post = await services.store.posts.findById(c.req.param("id"));
      const rightKind = post && (prefix === "posts" ? post.kind === "weeknote" : post.kind === "note");
      if (!post || !rightKind || post.state === "draft")
        throw notFound("There is no such post. It may never have existed, or the address may be wrong.");
      const uri = new URL(`/${prefix}/${post.id}`, config.origin).href;
      if (post.state === "deleted") {
        if (wantsActivityJson(c.req.header("accept"))) {
          const tombstone = {
            "@context": "https://www.w3.org/ns/activitystreams",
            id: uri,
            type: "Tombstone",
            deleted: post.deletedAt?.toISOString(),
          };
          return c.body(JSON.stringify(tombstone), 410, { "content-type": "application/activity+json" });
        }
        return render(c, (ctx) => <ErrorPage ctx={ctx} status={410} message="Its author deleted this post." />, 410);
      }
      return render(c, await postPageFor(post, c.get("viewer")));
    });
  }

  /** Everything the weeknote page shows, gathered; the reply form's state can be given to show it again. */
  const postPageFor: PostPageFor = async (post, viewer, reply) => {
    const uri = new URL(`/${post.kind === "weeknote" ? "posts" : "notes"}/${post.id}`, config.origin).href;
    const [author, community, media, thread, counts, mayEdit] = await Promise.all([
      services.store.actors.findById(post.authorId),
      post.communityId === null ? null : services.store.actors.findById(post.communityId),
      services.media.forPost(post.id),
      threadFor(services, post, uri, config.origin),
      services.store.interactions.countReactions(post.id),
      viewer && post.kind === "weeknote" ? services.weeknotes.mayEdit(post.id, viewer) : false,
    ]);
    const replyCount = countEntries(thread);
    return (ctx) => (
      <PostPage
        ctx={ctx}
        post={post}
        author={author!}
        community={community}
        media={media}
        thread={thread}
        replyCount={replyCount}
        counts={counts}
        mayEdit={mayEdit}
        reply={reply}
      />
    );
  };

  return { app, postPageFor };
}

/** Builds the weeknote page (or a note's), optionally with the reply form's text and errors to show again. */
export type PostPageFor = (
  post: Post,
  viewer: WebEnv["Variables"]["viewer"],
  reply?: { body: string; errors: Record<string, string> },
) => Promise<(ctx: PageContext) => ReturnType<typeof PostPage>>;
