import type { Post } from "../../src/domain/types.ts";
import type { FedCtx } from "../context.ts";
import type { PostAuthors } from "./post.ts";

/** The author and community of a local post. */
export function postAuthors(ctx: FedCtx, post: Post): Promise<PostAuthors> {
  return ctx.data.services.publications.authorsOf(post);
}
