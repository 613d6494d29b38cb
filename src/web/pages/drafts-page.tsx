import type { Post } from "../../domain/types.ts";
import type { PageContext } from "./context.ts";
import { DateText, Notice, weekLabel, type PostNames } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { decisionDraftDeletePath, decisionDraftPath, postDeletePath, postEditPath } from "../../domain/urls.ts";

/** The signed-in person's unpublished weeknotes and decision records, each to edit (and publish or propose from there) or delete. */
export function DraftsPage({ ctx, drafts, names, notice }: { ctx: PageContext; drafts: Post[]; names: PostNames; notice?: string }) {
  return (
    <Layout ctx={ctx} title="Your drafts">
      <h1>Your drafts</h1>
      <Notice message={notice} />
      <p class="lede">Only you (and those who run the community) can see these until you publish them.</p>
      {drafts.length === 0 ? (
        <p>
          You have no drafts. <a href="/compose">Write a weeknote</a> or <a href="/decisions/new">propose a decision</a> and choose Save as
          draft to keep it here.
        </p>
      ) : (
        <ul class="post-list">
          {drafts.map((draft) => {
            const community = draft.communityId === null ? undefined : names.get(draft.communityId);
            const decision = draft.kind === "decision";
            return (
              <li>
                <h2>{draft.title}</h2>
                <p class="meta">
                  {decision ? <>Decision record · </> : null}
                  {draft.isoWeek ? <>{weekLabel(draft.isoWeek)} · </> : null}
                  {community ? <>In {community.displayName} · </> : null}
                  Started <DateText date={draft.createdAt} />
                </p>
                {draft.summary ? <p>{draft.summary}</p> : null}
                <ul class="inline-list">
                  <li>
                    <a href={decision ? decisionDraftPath(draft.id) : postEditPath(draft.id)}>
                      Edit<span class="visually-hidden"> ‘{draft.title}’</span>
                    </a>
                  </li>
                  <li>
                    <a href={decision ? decisionDraftDeletePath(draft.id) : postDeletePath(draft.id)}>
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
