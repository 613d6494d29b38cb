import { Feed } from "feed";
import { Hono } from "hono";
import { notFound } from "../../domain/errors.ts";
import { escapeHtml } from "../../domain/sanitize.ts";
import type { Media, Post } from "../../domain/types.ts";
import { mediaPath } from "../../services/media.ts";
import type { WebDeps } from "../deps.ts";
import { namesFor } from "./page-data.ts";

/** How many weeknotes a feed carries: enough for a reader that polls weekly. */
export const FEED_SIZE = 50;

export const ATOM_HEADERS = {
  "content-type": "application/atom+xml; charset=utf-8",
  "cache-control": "public, max-age=300",
};

/** What tells one feed from another: its title and where it and its HTML page live. */
interface FeedMeta {
  title: string;
  selfPath: string;
  pagePath: string;
}

/** Atom feeds of weeknotes: the instance's, each community's and each person's. */
export function feedRoutes({ services, config }: WebDeps) {
  const app = new Hono();
  const absolute = (path: string) => new URL(path, config.origin).href;

  app.get("/feed.atom", async (c) => {
    const [instanceName, posts] = await Promise.all([services.setup.instanceName(), services.store.posts.listRecent(FEED_SIZE)]);
    const xml = await atomFeed({ title: instanceName, selfPath: "/feed.atom", pagePath: "/" }, posts);
    return c.body(xml, 200, ATOM_HEADERS);
  });

  app.get("/:handle{@[a-z0-9_]+}/feed.atom", async (c) => {
    const actor = await services.actors.find(c.req.param("handle").slice(1));
    if (!actor || actor.deactivatedAt || actor.kind === "instance") throw notFound("There is no one here by that name.");
    const [instanceName, page] = await Promise.all([
      services.setup.instanceName(),
      services.store.posts.listByActor(actor.id, null, FEED_SIZE, ["weeknote"]),
    ]);
    const preposition = actor.kind === "community" ? "in" : "by";
    const meta = {
      title: `Weeknotes ${preposition} ${actor.displayName} – ${instanceName}`,
      selfPath: `/@${actor.handle}/feed.atom`,
      pagePath: `/@${actor.handle}`,
    };
    const xml = await atomFeed(meta, page.items);
    return c.body(xml, 200, ATOM_HEADERS);
  });

  /** The posts (published weeknotes, newest first) as an Atom 1.0 document. */
  async function atomFeed(meta: FeedMeta, posts: Post[]): Promise<string> {
    const [names, media] = await Promise.all([namesFor(services, posts), services.store.media.forPosts(posts.map((p) => p.id))]);
    const updated = posts.map(lastChange).reduce<Date | null>((newest, d) => (newest && newest >= d ? newest : d), null);
    const feed = new Feed({
      id: absolute(meta.selfPath),
      title: asXmlText(meta.title),
      updated: updated ?? new Date(),
      link: absolute(meta.pagePath),
      feed: absolute(meta.selfPath),
      generator: "Connexo",
    });
    for (const post of posts) {
      // Posts keep their author: actors are deactivated, never deleted.
      const author = names.get(post.authorId)!;
      const url = absolute(`/posts/${post.id}`);
      const images = media.filter((m) => m.postId === post.id);
      // The package writes title and summary as type="html", so plain text goes in escaped.
      feed.addItem({
        id: url,
        link: url,
        title: escapeHtml(post.title ?? ""),
        description: post.summary ? escapeHtml(post.summary) : undefined,
        // The package puts this in a CDATA section; sanitised HTML escapes every ">" in text and attributes, so no "]]>" can end it early.
        content: post.contentHtml + images.map(imageHtml).join(""),
        date: lastChange(post),
        published: post.publishedAt ?? post.createdAt,
        author: [{ name: asXmlText(author.displayName), link: absolute(`/@${author.handle}`) }],
        category: post.tags.map((term) => ({ term })),
      });
    }
    return withoutNonXmlCharacters(feed.atom1());
  }

  const imageHtml = (m: Media) =>
    `<p><img src="${escapeHtml(absolute(mediaPath(m.fileName)))}" alt="${escapeHtml(m.alt)}" width="${m.width}" height="${m.height}"></p>`;

  return app;
}

const lastChange = (post: Post): Date => post.updatedAt ?? post.publishedAt ?? post.createdAt;

/**
 * xml-js, under the package, turns "&amp;" in text into "&" before escaping
 * (so "Fish &amp; Chips" would come out as "Fish & Chips"); the package
 * pre-escapes "&" in some fields but not in titles and names, so we do.
 */
export const asXmlText = (text: string) => text.replaceAll("&", "&amp;");

/**
 * XML 1.0 forbids most control characters, which titles and names may
 * carry; one would make the whole feed unreadable, so they go.
 */
export const withoutNonXmlCharacters = (xml: string) => xml.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "");
