import { Article, Collection, Hashtag, Image, Note, PUBLIC_COLLECTION, Tombstone } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import type { Actor, Post } from "../../src/domain/types.ts";
import { mediaPath } from "../../src/services/media.ts";
import type { FedCtx } from "../context.ts";

const instant = (date: Date) => Temporal.Instant.fromEpochMilliseconds(date.getTime());

export interface PostAuthors {
  author: Actor;
  community: Actor | null;
}

/** The URI of a local post: an Article for weeknotes, a Note for replies. */
export function postUri(ctx: FedCtx, post: Pick<Post, "id" | "kind">): URL {
  return post.kind === "weeknote" ? ctx.getObjectUri(Article, { id: post.id }) : ctx.getObjectUri(Note, { id: post.id });
}

/** Who a post is addressed to: the public, and the followers of its author and community. */
export function audienceOf(ctx: FedCtx, { author, community }: PostAuthors) {
  return {
    to: PUBLIC_COLLECTION,
    ccs: [ctx.getFollowersUri(author.handle), ...(community ? [ctx.getFollowersUri(community.handle)] : [])],
  };
}

/** A published local post as an ActivityPub object, with counts Mastodon shows. */
export async function toApObject(ctx: FedCtx, post: Post, authors: PostAuthors): Promise<Article | Note> {
  const id = postUri(ctx, post);
  const { interactions } = ctx.data.services.store;
  const [replyCount, reactions] = await Promise.all([interactions.countReplies(post.id), interactions.countReactions(post.id)]);
  const common = {
    id,
    attribution: ctx.getActorUri(authors.author.handle),
    audience: authors.community ? ctx.getActorUri(authors.community.handle) : null,
    content: post.contentHtml,
    url: id,
    published: instant(post.publishedAt ?? post.createdAt),
    updated: post.updatedAt ? instant(post.updatedAt) : null,
    tags: post.tags.map(
      (tag) => new Hashtag({ name: `#${tag}`, href: new URL(`/tags/${encodeURIComponent(tag)}`, ctx.canonicalOrigin) }),
    ),
    replies: new Collection({ id: new URL(`${id.href}/replies`), totalItems: replyCount }),
    likes: new Collection({ id: new URL(`${id.href}/likes`), totalItems: reactions.likes }),
    shares: new Collection({ id: new URL(`${id.href}/shares`), totalItems: reactions.announces }),
    ...audienceOf(ctx, authors),
  };
  if (post.kind === "note") {
    return new Note({ ...common, replyTarget: post.inReplyTo ? new URL(post.inReplyTo) : null });
  }
  return new Article({ ...common, name: post.title, summary: post.summary, attachments: await imagesOf(ctx, post) });
}

/** A weeknote's images, which Mastodon shows under its summary with their descriptions. */
async function imagesOf(ctx: FedCtx, post: Post): Promise<Image[]> {
  const media = await ctx.data.services.media.forPost(post.id);
  return media.map(
    (m) =>
      new Image({
        url: new URL(mediaPath(m.fileName), ctx.canonicalOrigin),
        mediaType: m.contentType,
        name: m.alt,
        width: m.width,
        height: m.height,
      }),
  );
}

/** What a deleted post leaves behind. */
export function toTombstone(ctx: FedCtx, post: Post): Tombstone {
  return new Tombstone({
    id: postUri(ctx, post),
    deleted: instant(post.deletedAt ?? new Date()),
  });
}
