import type { CommunityPost } from "../../domain/types.ts";
import { DateText, RemoteLink } from "./components.tsx";
import { organisationOf, remoteNameOf } from "./organisations.ts";

/**
 * What a community's members on other servers published in it: each post
 * by its title (or the start of its summary), who wrote it and for which
 * organisation, linking to the post where it lives.
 */
export function MemberPosts({ posts }: { posts: CommunityPost[] }) {
  if (posts.length === 0) return null;
  return (
    <section aria-labelledby="from-elsewhere">
      <h2 id="from-elsewhere">From members elsewhere</h2>
      <ul class="link-list">
        {posts.map((post) => (
          <li>
            <RemoteLink href={post.url} or={post.uri}>
              {post.name ?? post.summary ?? "A post"}
            </RemoteLink>
            <br />
            <span class="secondary">
              {post.author ? `By ${remoteNameOf(post.author)}, ${organisationOf(post.author)} · ` : null}
              <DateText date={post.publishedAt} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
