import type { FederationBuilder } from "@fedify/fedify";
import { Article, Like, Note, Object as ApObject } from "@fedify/vocab";
import type { ContextData, FedCtx } from "../context.ts";
import { postAuthors } from "../vocab/load.ts";
import { toApObject } from "../vocab/post.ts";

/**
 * Weeknotes (Articles) and notes, each dereferenceable at its id, and the
 * replies, likes and shares collections Mastodon reads counts from. A deleted
 * post answers 410 Gone; that is done by the web layer, which knows the state.
 */
export function registerObjects(builder: FederationBuilder<ContextData>): void {
  const load = async (ctx: FedCtx, id: string, kind: "weeknote" | "note") => {
    const post = await ctx.data.services.store.posts.findById(id);
    if (!post || post.kind !== kind || post.state !== "published") return null;
    return toApObject(ctx, post, await postAuthors(ctx, post));
  };
  builder.setObjectDispatcher(Article, "/posts/{id}", (ctx, { id }) => load(ctx, id, "weeknote") as Promise<Article | null>);
  builder.setObjectDispatcher(Note, "/notes/{id}", (ctx, { id }) => load(ctx, id, "note") as Promise<Note | null>);

  const published = async (ctx: FedCtx, id: string) => {
    const post = await ctx.data.services.store.posts.findById(id);
    return post?.state === "published" ? post : null;
  };

  builder
    .setOrderedCollectionDispatcher("replies", ApObject, "/posts/{id}/replies", async (ctx, { id }) => {
      if (!(await published(ctx, id))) return null;
      const replies = await ctx.data.services.store.interactions.replies(id);
      return { items: replies.map((r) => new URL(r.uri)) as unknown as ApObject[] };
    })
    .setCounter(async (ctx, { id }) => ((await published(ctx, id)) ? ctx.data.services.store.interactions.countReplies(id) : null));

  for (const [name, kind] of [
    ["likes", "like"],
    ["shares", "announce"],
  ] as const) {
    builder
      .setOrderedCollectionDispatcher(name, Like, `/posts/{id}/${name}`, async (ctx, { id }) => {
        if (!(await published(ctx, id))) return null;
        const actors = await ctx.data.services.store.interactions.reactors(id, kind);
        return { items: actors.map((uri) => new URL(uri)) as unknown as Like[] };
      })
      .setCounter(async (ctx, { id }) => {
        if (!(await published(ctx, id))) return null;
        const counts = await ctx.data.services.store.interactions.countReactions(id);
        return kind === "like" ? counts.likes : counts.announces;
      });
  }
}
