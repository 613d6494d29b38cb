import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { notFound } from "../../domain/errors.ts";
import type { Post } from "../../domain/types.ts";
import { absoluteUrl, localPostPath } from "../../domain/urls.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import type { FieldErrors } from "../pages/components.tsx";
import { ErrorPage } from "../pages/error-page.tsx";
import { PostPage } from "../pages/post-page.tsx";
import { REPLY_MODERATION_DONE, type ModerationProblem } from "../pages/thread.tsx";
import type { Render } from "../render.ts";
import { REACTION_DONE } from "../pages/reaction-buttons.tsx";
import { weeknoteNotice } from "./done-notices.ts";

const reactionNotice = (done: string | undefined) => (done && Object.hasOwn(REACTION_DONE, done) ? REACTION_DONE[done] : undefined);

const wantsActivityJson = (accept: string | undefined) => /application\/(activity\+json|ld\+json)/.test(accept ?? "");

/**
 * A weeknote's page (`/posts/{id}`) and a note's (`/notes/{id}`): the same
 * page, with the post's replies as a thread. The same URLs serve
 * ActivityPub JSON to servers: Fedify answers those first, and what it
 * leaves (HTML, and gone posts) comes here.
 */
export function postPages({ services, config }: WebDeps, render: Render) {
  /** A published post's page, optionally with the reply form's (or a reply's hide form's) text and errors shown again. */
  async function renderPostPage(
    c: Context<WebEnv>,
    post: Post,
    again: { reply?: { body: string; errors: FieldErrors }; moderationProblem?: ModerationProblem } = {},
    status?: ContentfulStatusCode,
  ) {
    const viewer = c.get("viewer");
    const uri = absoluteUrl(config.origin, localPostPath(post));
    const [page, remoteCommunity, outcome, reactions] = await Promise.all([
      services.reading.postPage(post, viewer),
      services.weeknotes.remoteCommunityOf(post),
      services.outcomes.outcomeOfNote(post),
      viewer ? services.interactions.reactionsTo(viewer, [uri]) : null,
    ]);
    const reacted = reactions && { uri, liked: reactions.liked.has(uri), boosted: reactions.boosted.has(uri) };
    // Own keys only: `?done=toString` must not find Object's methods.
    const done = c.req.query("done");
    const notice =
      done && Object.hasOwn(REPLY_MODERATION_DONE, done) ? REPLY_MODERATION_DONE[done] : (weeknoteNotice(done) ?? reactionNotice(done));
    return render(
      c,
      (ctx) => (
        <PostPage ctx={ctx} {...page} remoteCommunity={remoteCommunity} outcome={outcome} notice={notice} reacted={reacted} {...again} />
      ),
      status,
    );
  }

  /** The page of the post of this kind named in the path; a deleted one answers 410, as a Tombstone to servers. */
  const show = (kind: "weeknote" | "note") => async (c: Context<WebEnv>) => {
    const post = await services.reading.post(c.req.param("id")!, kind);
    if (!post) throw notFound("There is no such post. It may never have existed, or the address may be wrong.");
    if (post.state === "deleted") {
      if (wantsActivityJson(c.req.header("accept"))) {
        const tombstone = {
          "@context": "https://www.w3.org/ns/activitystreams",
          id: absoluteUrl(config.origin, localPostPath(post)),
          type: "Tombstone",
          deleted: post.deletedAt?.toISOString(),
        };
        return c.body(JSON.stringify(tombstone), 410, { "content-type": "application/activity+json" });
      }
      return render(c, (ctx) => <ErrorPage ctx={ctx} status={410} message="Its author deleted this post." />, 410);
    }
    return renderPostPage(c, post);
  };

  return { show, renderPostPage };
}
