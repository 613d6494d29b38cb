import type { FederationBuilder } from "@fedify/fedify";
import { Announce, Create } from "@fedify/vocab";
import type { Actor } from "../../src/domain/types.ts";
import { actorCollectionPath } from "../../src/domain/urls.ts";
import type { ContextData, FedCtx } from "../context.ts";
import { activityIds } from "../vocab/activity-ids.ts";
import { postAuthors } from "../vocab/load.ts";
import { addressedAs, audienceOf, toApObject } from "../vocab/post.ts";
import { toRecipient } from "../vocab/recipient.ts";

const PAGE = 50;

/**
 * Followers, following and outbox of each local actor, only ever a page at a
 * time: asked for without a cursor (the whole collection at once), the
 * dispatchers answer null, and Fedify serves the first page's link instead.
 * What we send goes to followers through the outbox's own paging
 * (outbox/recipients.ts), never through Fedify's "followers".
 */
export function registerCollections(builder: FederationBuilder<ContextData>): void {
  const findActor = (ctx: FedCtx, identifier: string) => ctx.data.services.publications.localActor(identifier);

  builder
    .setFollowersDispatcher(actorCollectionPath("{identifier}", "followers"), async (ctx, identifier, cursor) => {
      const actor = await findActor(ctx, identifier);
      if (!actor || cursor === null) return null;
      const page = await ctx.data.services.publications.followersPage(actor.id, cursor || null, PAGE);
      return { items: page.items.map(toRecipient), nextCursor: page.next };
    })
    .setFirstCursor(async (ctx, identifier) => ((await findActor(ctx, identifier)) ? "" : null))
    .setCounter(async (ctx, identifier) => {
      const actor = await findActor(ctx, identifier);
      return actor ? ctx.data.services.publications.countFollowers(actor.id) : null;
    });

  builder
    .setFollowingDispatcher(actorCollectionPath("{identifier}", "following"), async (ctx, identifier, cursor) => {
      const actor = await findActor(ctx, identifier);
      if (!actor || cursor === null) return null;
      const page = await ctx.data.services.publications.followingPage(actor.id, cursor || null, PAGE);
      return { items: page.items.map((a) => new URL(a.uri)), nextCursor: page.next };
    })
    .setFirstCursor(async (ctx, identifier) => ((await findActor(ctx, identifier)) ? "" : null))
    .setCounter(async (ctx, identifier) => {
      const actor = await findActor(ctx, identifier);
      return actor ? ctx.data.services.publications.countFollowing(actor.id) : null;
    });

  builder
    .setOutboxDispatcher(actorCollectionPath("{identifier}", "outbox"), async (ctx, identifier, cursor) => {
      const actor = await findActor(ctx, identifier);
      if (!actor || cursor === null) return null;
      const page = await ctx.data.services.publications.outboxPage(actor.id, cursor || null, PAGE);
      const items = await Promise.all(page.items.map(async (post) => outboxItem(ctx, actor, post)));
      return { items, nextCursor: page.next };
    })
    .setFirstCursor(async (ctx, identifier) => ((await findActor(ctx, identifier)) ? "" : null))
    .setCounter(async (ctx, identifier) => {
      const actor = await findActor(ctx, identifier);
      return actor ? ctx.data.services.publications.countOutbox(actor.id) : null;
    });
}

/**
 * In a person's outbox a post is a Create; in a community's, the community's
 * Announce of it, except the notes the community writes itself (its thanks
 * to people whose replies informed a decision), which it Creates.
 */
async function outboxItem(ctx: FedCtx, owner: Actor, post: Parameters<typeof toApObject>[1]) {
  const authors = await postAuthors(ctx, post);
  const object = await toApObject(ctx, post, authors);
  const ids = activityIds(ctx, post.id);
  if (owner.kind === "community" && post.authorId !== owner.id) {
    return new Announce({
      id: ids.announce,
      actor: ctx.getActorUri(owner.handle),
      object,
      published: object.published,
      to: audienceOf(ctx, authors).to,
      ccs: [ctx.getFollowersUri(owner.handle)],
    });
  }
  return new Create({ id: ids.create, actor: object.attributionId, object, published: object.published, ...addressedAs(object) });
}
