import type { Actor, CommunityPost } from "../../domain/types.ts";
import { withdrawSharedPath } from "../../domain/urls.ts";
import { CsrfField, DateText, RemoteLink } from "./components.tsx";
import { organisationOf, remoteNameOf } from "../../domain/remote-actor-names.ts";

/** A post's title as the list shows it. */
const titleOf = (post: CommunityPost) => post.name ?? post.summary ?? "A post";

/**
 * What a community's members on other servers published in it: each post
 * by its title (or the start of its summary), who wrote it and for which
 * organisation, linking to the post where it lives. Its facilitators and
 * administrators (`withdraw`) get a button by each to take it out.
 */
export function MemberPosts({
  posts,
  withdraw,
}: {
  posts: CommunityPost[];
  /** The community and the form token, when the viewer may take posts out of it. */
  withdraw?: { community: Actor; csrfToken: string };
}) {
  if (posts.length === 0) return null;
  return (
    <section aria-labelledby="from-elsewhere">
      <h2 id="from-elsewhere">From members elsewhere</h2>
      <ul class="link-list">
        {posts.map((post) => (
          <li>
            <RemoteLink href={post.url} or={post.uri}>
              {titleOf(post)}
            </RemoteLink>
            <br />
            <span class="secondary">
              {post.author ? `By ${remoteNameOf(post.author)}, ${organisationOf(post.author)} · ` : null}
              <DateText date={post.publishedAt} />
            </span>
            {withdraw ? (
              <form method="post" action={withdrawSharedPath(withdraw.community.handle)} class="button-group">
                <CsrfField token={withdraw.csrfToken} />
                <input type="hidden" name="post" value={post.uri} />
                <button type="submit" class="button button-secondary">
                  Take out of {withdraw.community.displayName}
                  <span class="visually-hidden">: {titleOf(post)}</span>
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
