import {
  Article,
  Collection,
  Hashtag,
  Image,
  InteractionPolicy,
  InteractionRule,
  Mention,
  Note,
  PUBLIC_COLLECTION,
  Tombstone,
} from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { escapeHtml } from "../../src/domain/sanitize.ts";
import type { Post } from "../../src/domain/types.ts";
import { mediaPath, postCollectionPath, tagPath } from "../../src/domain/urls.ts";
import type { PostAuthors } from "../../src/services/publications.ts";
import type { FedCtx } from "../context.ts";
import { decisionContentHtml, decisionUrl, loadDecisionView, type DecisionView } from "./decision.ts";
import { CONNEXO_SOFTWARE } from "./connexo-context.ts";
import { membersCollectionUri } from "./membership.ts";
import { outcomeLink } from "./outcome-document.ts";

const instant = (date: Date) => Temporal.Instant.fromEpochMilliseconds(date.getTime());

export type { PostAuthors };

/**
 * The URI of a local post: an Article for weeknotes, a Note for replies. A
 * decision record's id is its page, which our own route serves as JSON-LD
 * (Fedify's Article cannot carry Connexo's terms).
 */
export function postUri(ctx: FedCtx, post: Pick<Post, "id" | "kind">): URL {
  if (post.kind === "decision") return decisionUrl(ctx, post.id);
  return post.kind === "weeknote" ? ctx.getObjectUri(Article, { id: post.id }) : ctx.getObjectUri(Note, { id: post.id });
}

/** A post's replies, likes and shares: Fedify serves them under /posts/{id} whatever the post's kind. */
function collectionUri(ctx: FedCtx, post: Post, name: "replies" | "likes" | "shares"): URL {
  return new URL(postCollectionPath(post.id, name), ctx.canonicalOrigin);
}

/**
 * Who a post is addressed to: the public, and the followers of its author and
 * community; a community elsewhere is addressed itself, so that it can share
 * the post with its own followers.
 */
export function audienceOf(ctx: FedCtx, { author, community, remoteCommunity }: PostAuthors) {
  return {
    to: PUBLIC_COLLECTION,
    ccs: [
      ctx.getFollowersUri(author.handle),
      ...(community ? [ctx.getFollowersUri(community.handle)] : []),
      ...(remoteCommunity ? [new URL(remoteCommunity.uri)] : []),
    ],
  };
}

/** The community a post is published in, here or elsewhere: its `audience`. */
function communityOf(ctx: FedCtx, { community, remoteCommunity }: PostAuthors): URL | null {
  if (community) return ctx.getActorUri(community.handle);
  return remoteCommunity ? new URL(remoteCommunity.uri) : null;
}

/** An activity about an object is addressed as the object is (a note's mention is in its cc). */
export function addressedAs(object: Article | Note) {
  return { tos: object.toIds, ccs: object.ccIds };
}

/**
 * A published local post as an ActivityPub object, with counts Mastodon
 * shows. A decision's content is rendered from its record: give the record's
 * view when it is already loaded.
 */
export async function toApObject(ctx: FedCtx, post: Post, authors: PostAuthors, decisionView?: DecisionView): Promise<Article | Note> {
  const id = postUri(ctx, post);
  const counts = await ctx.data.services.publications.interactionCounts(post.id);
  const common = {
    id,
    attribution: ctx.getActorUri(authors.author.handle),
    audience: communityOf(ctx, authors),
    content: post.kind === "decision" ? decisionContentHtml(decisionView ?? (await decisionViewOf(ctx, post))) : post.contentHtml,
    url: id,
    published: instant(post.publishedAt ?? post.createdAt),
    updated: post.updatedAt ? instant(post.updatedAt) : null,
    tags: post.tags.map((tag) => new Hashtag({ name: `#${tag}`, href: new URL(tagPath(tag), ctx.canonicalOrigin) })),
    replies: new Collection({ id: collectionUri(ctx, post, "replies"), totalItems: counts.replies }),
    likes: new Collection({ id: collectionUri(ctx, post, "likes"), totalItems: counts.likes }),
    shares: new Collection({ id: collectionUri(ctx, post, "shares"), totalItems: counts.announces }),
    // A note's thread is governed by the post it answers; we publish the policy on that post only.
    interactionPolicy: post.kind === "note" ? null : replyPolicyOf(ctx, authors),
    generators: [new URL(CONNEXO_SOFTWARE)],
    ...audienceOf(ctx, authors),
  };
  if (post.kind === "note") {
    const mention = await mentionOfRepliedAuthor(ctx, post);
    // A community's note may answer a reply to one of its consultations: it links what became of the reply.
    const outcome = authors.author.kind === "community" && post.inReplyTo !== null && (await ctx.data.services.outcomes.states(post.id));
    return new Note({
      ...common,
      replyTarget: post.inReplyTo ? new URL(post.inReplyTo) : null,
      // The proof, once the answered post's server approved this reply, that it may be shown.
      replyAuthorization: post.replyAuthorization ? new URL(post.replyAuthorization) : null,
      tags: [...common.tags, ...(mention ? [mention] : []), ...(outcome ? [outcomeLink(ctx, post.id)] : [])],
      ccs: [...common.ccs, ...(mention?.href ? [mention.href] : [])],
    });
  }
  // Title and summary are kept as plain text: ActivityStreams' name is plain text too, but its summary is HTML.
  return new Article({
    ...common,
    name: post.title,
    summary: post.summary ? escapeHtml(post.summary) : null,
    attachments: await imagesOf(ctx, post),
  });
}

/**
 * Who may reply to a post, in GoToSocial's interaction controls (which we
 * enforce for replies only, so only `canReply` is set): a community's policy
 * for its posts, anyone for the rest. The post's author may always reply.
 * "Held for newcomers" cannot name everyone who has taken part before: its
 * members reply at once and anyone else asks, and those who took part before
 * are approved at once when they do.
 */
function replyPolicyOf(ctx: FedCtx, { author, community }: PostAuthors): InteractionPolicy {
  const authorUri = ctx.getActorUri(author.handle);
  const members = community ? [membersCollectionUri(ctx, community.handle)] : [];
  const rule = (automaticApprovals: URL[], manualApprovals: URL[] = []) => new InteractionRule({ automaticApprovals, manualApprovals });
  switch (community?.replyPolicy ?? "open") {
    case "open":
      return new InteractionPolicy({ canReply: rule([PUBLIC_COLLECTION]) });
    case "newcomers":
      return new InteractionPolicy({ canReply: rule([authorUri, ...members], [PUBLIC_COLLECTION]) });
    case "followers":
      return new InteractionPolicy({ canReply: rule([authorUri, ...members, ctx.getFollowersUri(community!.handle)]) });
    case "closed":
      return new InteractionPolicy({ canReply: rule([authorUri]) });
  }
}

/** A decision's record, which its content is rendered from (its post has no body). */
async function decisionViewOf(ctx: FedCtx, post: Post): Promise<DecisionView> {
  const decision = await ctx.data.services.decisions.get(post.id);
  if (!decision) throw new Error(`Decision ${post.id} has no record`);
  return loadDecisionView(ctx, decision);
}

/**
 * A note answering a reply we hold (from elsewhere) mentions that reply's
 * author, and is addressed to them, so their server notifies them: as
 * Mastodon does for any reply.
 */
async function mentionOfRepliedAuthor(ctx: FedCtx, post: Post): Promise<Mention | null> {
  if (!post.inReplyTo) return null;
  const author = await ctx.data.services.publications.authorOfReply(post.inReplyTo);
  if (!author) return null;
  return new Mention({ href: new URL(author.uri), name: author.handle ?? author.uri });
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
