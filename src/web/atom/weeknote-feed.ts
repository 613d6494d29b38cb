import { Feed } from "feed";
import { escapeHtml } from "../../domain/sanitize.ts";
import type { Media, Post } from "../../domain/types.ts";
import { absoluteUrl, actorPath, mediaPath, postPath } from "../../domain/urls.ts";
import type { Listing } from "../../services/names.ts";
import { asXmlText, type FeedMeta, withoutNonXmlCharacters } from "./atom.ts";

const lastChange = (post: Post): Date => post.updatedAt ?? post.publishedAt ?? post.createdAt;

/** Published weeknotes (newest first), with their names and images, as an Atom 1.0 document. */
export function weeknoteFeed(origin: string, meta: FeedMeta, { posts, names, media }: Listing & { media: Media[] }): string {
  const absolute = (path: string) => absoluteUrl(origin, path);
  const imageHtml = (m: Media) =>
    `<p><img src="${escapeHtml(absolute(mediaPath(m.fileName)))}" alt="${escapeHtml(m.alt)}" width="${m.width}" height="${m.height}"></p>`;
  const updated = posts.map(lastChange).reduce<Date | null>((newest, d) => (newest && newest >= d ? newest : d), null);
  const feed = new Feed({
    id: absolute(meta.selfPath),
    title: asXmlText(meta.title),
    updated: updated ?? meta.readAt,
    link: absolute(meta.pagePath),
    feed: absolute(meta.selfPath),
    generator: "Connexo",
  });
  for (const post of posts) {
    // Posts keep their author: actors are deactivated, never deleted.
    const author = names.get(post.authorId)!;
    const url = absolute(postPath(post.id));
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
      author: [{ name: asXmlText(author.displayName), link: absolute(actorPath(author.handle)) }],
      category: post.tags.map((term) => ({ term })),
    });
  }
  return withoutNonXmlCharacters(feed.atom1());
}
