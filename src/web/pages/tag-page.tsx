import type { Post } from "../../domain/types.ts";
import type { PageContext } from "./context.ts";
import { PostList, type PostNames } from "./components.tsx";
import { Layout } from "./layout.tsx";
import type { Neighbours } from "../../domain/paging.ts";
import { PagingLinks } from "./paging-links.tsx";
import { tagPath } from "../../domain/urls.ts";

export function TagPage({
  ctx,
  tag,
  posts,
  names,
  pages,
}: {
  ctx: PageContext;
  tag: string;
  posts: Post[];
  names: PostNames;
  pages: Neighbours;
}) {
  return (
    <Layout ctx={ctx} title={`#${tag}`}>
      <p class="secondary">Tag</p>
      <h1>#{tag}</h1>
      <p class="lede">Weeknotes tagged #{tag}, newest first.</p>
      <PostList posts={posts} names={names} headingLevel={2} />
      <PagingLinks pages={pages} path={tagPath(tag)} label="More weeknotes" />
    </Layout>
  );
}
