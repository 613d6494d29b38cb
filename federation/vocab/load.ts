import type { Post } from "../../src/domain/types.ts";
import type { FedCtx } from "../context.ts";
import type { PostAuthors } from "./post.ts";

/** The author and community of a local post. */
export async function postAuthors(ctx: FedCtx, post: Post): Promise<PostAuthors> {
  const { actors } = ctx.data.services.store;
  const author = await actors.findById(post.authorId);
  if (!author) throw new Error(`Post ${post.id} has no author`);
  const community = post.communityId === null ? null : await actors.findById(post.communityId);
  return { author, community };
}
