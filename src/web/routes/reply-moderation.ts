import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Services } from "../../services/index.ts";
import type { WebEnv } from "../env.ts";
import type { ModerationProblem } from "../pages/thread.tsx";
import { bodyText, formBody, formProblem } from "./forms.ts";

/** How a page whose replies are moderated takes part: its post, its address, and itself shown again with a form's problem. */
export interface ModeratedPage<T> {
  /** What the path names (a weeknote, a decision record); throws not found when there is none. */
  load(c: Context<WebEnv>): Promise<T>;
  postId(target: T): string;
  path(target: T): string;
  again(c: Context<WebEnv>, target: T, problem: ModerationProblem, status: ContentfulStatusCode): Promise<Response>;
}

/**
 * POST `{page}/replies/hide` (the `reply`'s URI and a `reason`) and
 * `{page}/replies/restore` (the `reply`'s URI): each goes back to the page,
 * saying what was done, or shows it again with the reason's problem.
 */
export function replyModeration<T>(services: Services, page: ModeratedPage<T>) {
  async function hide(c: Context<WebEnv>) {
    const viewer = c.get("viewer")!;
    const target = await page.load(c);
    const body = await formBody(c);
    const reply = bodyText(body, "reply");
    const reason = bodyText(body, "reason");
    try {
      await services.moderation.hideReply(viewer, reply, reason, page.postId(target));
    } catch (error) {
      const { status, errors } = formProblem(error);
      return page.again(c, target, { reply, reason, errors }, status);
    }
    return c.redirect(`${page.path(target)}?done=hidden#replies-title`, 303);
  }

  async function restore(c: Context<WebEnv>) {
    const viewer = c.get("viewer")!;
    const target = await page.load(c);
    const reply = bodyText(await formBody(c), "reply");
    await services.moderation.restoreReply(viewer, reply, page.postId(target));
    return c.redirect(`${page.path(target)}?done=restored#replies-title`, 303);
  }

  return { hide, restore };
}
