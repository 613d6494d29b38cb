import { Hono } from "hono";
import { html, raw } from "hono/html";
import { notFound } from "../../domain/errors.ts";
import type { Post } from "../../domain/types.ts";
import type { WebDeps } from "../deps.ts";
import { layout } from "./layout.ts";

const wantsActivityJson = (accept: string | undefined) =>
  /application\/(activity\+json|ld\+json)/.test(accept ?? "");

/**
 * Plain pages for people. The same URLs serve ActivityPub JSON to servers:
 * Fedify answers those first, and what it leaves (HTML, and gone posts) comes here.
 */
export function pageRoutes({ services, config }: WebDeps) {
  const app = new Hono();
  const host = new URL(config.origin).host;

  app.get("/", async (c) => {
    const [communities, recent] = await Promise.all([services.actors.list("community"), services.store.posts.listRecent(20)]);
    return c.html(
      layout(
        config.instanceName,
        html`<h1>${config.instanceName}</h1>
          <h2>Latest weeknotes</h2>
          <ul>${recent.map((p) => html`<li><a href="/posts/${p.id}">${p.title}</a> (${p.isoWeek})</li>`)}</ul>
          <h2>Communities</h2>
          <ul>${communities.map((a) => html`<li><a href="/@${a.handle}">${a.displayName}</a>, @${a.handle}@${host}</li>`)}</ul>
          <p>To follow a community from Mastodon, search for its handle, such as @team@${host}, and choose Follow.</p>`,
      ),
    );
  });

  app.get("/:handle{@[a-z0-9_]+}", async (c) => {
    const actor = await services.actors.find(c.req.param("handle").slice(1));
    if (!actor || actor.deactivatedAt) throw notFound("There is no one here by that name.");
    const memberships =
      actor.kind === "community"
        ? await services.store.actors.membershipsOfCommunity(actor.id)
        : await services.store.actors.membershipsOfPerson(actor.id);
    const posts = await services.store.posts.listByActor(actor.id, null, 20);
    return c.html(
      layout(
        `${actor.displayName} (@${actor.handle}@${host})`,
        html`<h1>${actor.displayName}</h1>
          <p>@${actor.handle}@${host}${actor.jobTitle ? html`, ${actor.jobTitle}` : ""}</p>
          <p>${actor.summary}</p>
          <h2>${actor.kind === "community" ? "Members" : "Memberships"}</h2>
          <ul>${memberships.map((m) =>
            actor.kind === "community"
              ? html`<li><a href="/@${m.person.handle}">${m.person.displayName}</a>: ${m.role}</li>`
              : html`<li><a href="/@${m.community.handle}">${m.community.displayName}</a>: ${m.role}</li>`,
          )}</ul>
          <h2>Posts</h2>
          <ul>${posts.items.filter((p) => p.kind === "weeknote").map((p) => html`<li><a href="/posts/${p.id}">${p.title}</a></li>`)}</ul>
          <p>Follow from Mastodon: search for @${actor.handle}@${host}.</p>`,
      ),
    );
  });

  const postPage = async (id: string, accept: string | undefined) => {
    const post = await services.store.posts.findById(id);
    if (!post || post.state === "draft") throw notFound("There is no such post.");
    if (post.state === "deleted") return { gone: true as const, post };
    if (wantsActivityJson(accept)) return { gone: false as const, post, html: null };
    return { gone: false as const, post, html: await renderPost(post) };
  };

  const renderPost = async (post: Post) => {
    const [author, community, replies, counts] = await Promise.all([
      services.store.actors.findById(post.authorId),
      post.communityId ? services.store.actors.findById(post.communityId) : null,
      services.store.interactions.replies(post.id),
      services.store.interactions.countReactions(post.id),
    ]);
    return layout(
      post.title ?? "Note",
      html`<article>
          <h1>${post.title ?? "Note"}</h1>
          <p>By <a href="/@${author?.handle}">${author?.displayName}</a>${community
            ? html` in <a href="/@${community.handle}">${community.displayName}</a>`
            : ""}${post.isoWeek ? html`, week ${post.isoWeek}` : ""}</p>
          ${post.summary ? html`<p><strong>${post.summary}</strong></p>` : ""}
          ${raw(post.contentHtml)}
          <p>Tags: ${post.tags.map((t) => html`<a href="/tags/${encodeURIComponent(t)}">#${t}</a> `)}</p>
          <p>${counts.likes} likes, ${counts.announces} boosts, ${replies.length} replies</p>
        </article>
        <section>
          <h2>Replies</h2>
          ${replies.map(
            (r) => html`<article id="reply-${r.id}">
              <p><a href="${r.author?.url ?? r.author?.uri ?? "#"}">${r.author?.name ?? "Someone"}</a>
                ${r.author?.handle ?? ""}</p>
              ${raw(r.contentHtml)}
            </article>`,
          )}
        </section>`,
    );
  };

  for (const prefix of ["posts", "notes"]) {
    app.get(`/${prefix}/:id`, async (c) => {
      const result = await postPage(c.req.param("id"), c.req.header("accept"));
      if (result.gone) {
        if (wantsActivityJson(c.req.header("accept"))) {
          const uri = new URL(`/${prefix}/${result.post.id}`, config.origin).href;
          return c.body(
            JSON.stringify({
              "@context": "https://www.w3.org/ns/activitystreams",
              id: uri,
              type: "Tombstone",
              deleted: result.post.deletedAt?.toISOString(),
            }),
            410,
            { "content-type": "application/activity+json" },
          );
        }
        return c.html(layout("Deleted", html`<h1>This post was deleted</h1>`), 410);
      }
      if (!result.html) throw notFound("There is no such post.");
      return c.html(result.html);
    });
  }

  return app;
}
