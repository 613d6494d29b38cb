import type { Post } from "../../domain/types.ts";
import type { PageContext } from "./context.ts";
import { DateText, weekLabel, type PostNames } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { postDeletePath, postEditPath } from "../../domain/urls.ts";

/** The signed-in person's unpublished weeknotes, each to edit (and publish from there) or delete. */
export function DraftsPage({ ctx, drafts, names }: { ctx: PageContext; drafts: Post[]; names: PostNames }) {
  return (
    <Layout ctx={ctx} title="Your drafts">
      <h1>Your drafts</h1>
      <p class="lede">Only you (and those who run the community) can see these until you publish them.</p>
      {drafts.length === 0 ? (
        <p>
          You have no drafts. <a href="/compose">Write a weeknote</a> and choose Save as draft to keep it here.
        </p>
      ) : (
        <ul class="post-list">
          {drafts.map((draft) => {
            const community = draft.communityId === null ? undefined : names.get(draft.communityId);
            return (
              <li>
                <h2>{draft.title}</h2>
                <p class="meta">
                  {draft.isoWeek ? <>{weekLabel(draft.isoWeek)} · </> : null}
                  {community ? <>In {community.displayName} · </> : null}
                  Started <DateText date={draft.createdAt} />
                </p>
                {draft.summary ? <p>{draft.summary}</p> : null}
                <ul class="inline-list">
                  <li>
                    <a href={postEditPath(draft.id)}>
                      Edit<span class="visually-hidden"> ‘{draft.title}’</span>
                    </a>
                  </li>
                  <li>
                    <a href={postDeletePath(draft.id)}>
                      Delete<span class="visually-hidden"> ‘{draft.title}’</span>
                    </a>
                  </li>
                </ul>
              </li>
            );
          })}
        </ul>
      )}
    </Layout>
  );
}
