import type { FederationBuilder } from "@fedify/fedify";
import { Article, Like, Note, Object as ApObject, ReplyAuthorization } from "@fedify/vocab";
import { authorizationPath, notePath, postCollectionPath, postPath } from "../../src/domain/urls.ts";
import type { ContextData, FedCtx } from "../context.ts";
import { postAuthors } from "../vocab/load.ts";
import { postUri, toApObject } from "../vocab/post.ts";

/**
 * Weeknotes (Articles) and notes, each dereferenceable at its id, the
 * authorizations approved replies carry, and the replies, likes and shares
 * collections Mastodon reads counts from. A deleted
 * post answers 410 Gone; that is done by the web layer, which knows the state.
 */
export function registerObjects(builder: FederationBuilder<ContextData>): void {
  const load = async (ctx: FedCtx, id: string, kind: "weeknote" | "note") => {
    const post = await ctx.data.services.publications.servedPost(id, kind);
    return post ? toApObject(ctx, post, await postAuthors(ctx, post)) : null;
  };
  builder.setObjectDispatcher(Article, postPath("{id}"), (ctx, { id }) => load(ctx, id, "weeknote") as Promise<Article | null>);
  builder.setObjectDispatcher(Note, notePath("{id}"), (ctx, { id }) => load(ctx, id, "note") as Promise<Note | null>);

  // The proof that a reply from elsewhere was approved, for any server to check: by the post's author, naming both.
  builder.setObjectDispatcher(ReplyAuthorization, authorizationPath("{id}"), async (ctx, { id }) => {
    const found = await ctx.data.services.replies.authorization(id);
    if (!found) return null;
    const authors = await postAuthors(ctx, found.post);
    return new ReplyAuthorization({
      id: ctx.getObjectUri(ReplyAuthorization, { id }),
      attribution: ctx.getActorUri(authors.author.handle),
      interactingObject: new URL(found.reply.uri),
      interactionTarget: postUri(ctx, found.post),
    });
  });

  builder
    .setOrderedCollectionDispatcher("replies", ApObject, postCollectionPath("{id}", "replies"), async (ctx, { id }) => {
      const replies = await ctx.data.services.publications.repliesOf(id);
      return replies ? { items: replies.map((uri) => new URL(uri)) as unknown as ApObject[] } : null;
    })
    .setCounter((ctx, { id }) => ctx.data.services.publications.countRepliesOf(id));

  for (const [name, kind] of [
    ["likes", "like"],
    ["shares", "announce"],
  ] as const) {
    builder
      .setOrderedCollectionDispatcher(name, Like, postCollectionPath("{id}", name), async (ctx, { id }) => {
        const actors = await ctx.data.services.publications.reactorsOf(id, kind);
        return actors ? { items: actors.map((uri) => new URL(uri)) as unknown as Like[] } : null;
      })
      .setCounter((ctx, { id }) => ctx.data.services.publications.countReactionsOf(id, kind));
  }
}
