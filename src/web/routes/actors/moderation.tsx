import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { REPLY_POLICY_LABELS } from "../../../domain/reply-policy.ts";
import type { Actor, CommunityBlock } from "../../../domain/types.ts";
import { communityModerationPath } from "../../../domain/urls.ts";
import type { WebDeps } from "../../deps.ts";
import type { WebEnv } from "../../env.ts";
import { CommunityModerationPage, type ModerationForms } from "../../pages/community-moderation-page.tsx";
import type { FieldErrors } from "../../pages/components.tsx";
import type { Render } from "../../render.ts";
import { bodyText, formBody, formProblem } from "../forms.ts";
import { handleOf } from "./handle.ts";

/** The signed-in person (signInFirst has run). */
const viewer = (c: Context<WebEnv>): Actor => c.get("viewer")!;

/**
 * A community's moderation page and its forms (`/@{community}/moderation`):
 * who may reply, blocking an account and unblocking one. Services check that
 * the viewer moderates the community; each form posts and redirects back,
 * and on bad input the page is shown again with what was typed.
 */
export function moderationHandlers({ services }: WebDeps, render: Render) {
  const moderation = services.communityModeration;

  /** What the last change did, said from what is stored now (so a made-up address says nothing). */
  function noticeFor(c: Context<WebEnv>, community: Actor, blocks: CommunityBlock[]): string | undefined {
    if (c.req.query("policy") === community.replyPolicy) return `Saved. Who may reply: ${REPLY_POLICY_LABELS[community.replyPolicy]}.`;
    const blocked = c.req.query("blocked");
    const found = blocks.find((b) => b.actorUri === blocked);
    if (found) return `${found.account?.handle ?? found.actorUri} is blocked from ${community.displayName}.`;
    const unblocked = c.req.query("unblocked");
    if (unblocked && !blocks.some((b) => b.actorUri === unblocked))
      return `${unblocked} is no longer blocked from ${community.displayName}.`;
    return undefined;
  }

  async function show(
    c: Context<WebEnv>,
    extra: { values?: ModerationForms; errors?: FieldErrors } = {},
    status: ContentfulStatusCode = 200,
  ) {
    const { community, blocks } = await moderation.blocks(viewer(c), handleOf(c));
    const notice = status === 200 ? noticeFor(c, community, blocks) : undefined;
    return render(
      c,
      (ctx) => <CommunityModerationPage ctx={ctx} community={community} blocks={blocks} notice={notice} {...extra} />,
      status,
    );
  }

  /** GET `/moderation` */
  const page = (c: Context<WebEnv>) => show(c);

  /** POST `/moderation/reply-policy` */
  async function replyPolicy(c: Context<WebEnv>) {
    const policy = bodyText(await formBody(c), "policy");
    try {
      const community = await moderation.setReplyPolicy(viewer(c), handleOf(c), policy);
      return c.redirect(`${communityModerationPath(community.handle)}?policy=${community.replyPolicy}`, 303);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return show(c, { values: { policy }, errors }, status);
    }
  }

  /** POST `/moderation/block` */
  async function block(c: Context<WebEnv>) {
    const body = await formBody(c);
    const values = { account: bodyText(body, "account"), reason: bodyText(body, "reason") };
    try {
      const uri = await moderation.block(viewer(c), handleOf(c), values.account, values.reason);
      return c.redirect(`${communityModerationPath(handleOf(c))}?blocked=${encodeURIComponent(uri)}`, 303);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return show(c, { values, errors }, status);
    }
  }

  /** POST `/moderation/unblock` */
  async function unblock(c: Context<WebEnv>) {
    const account = bodyText(await formBody(c), "account");
    await moderation.unblock(viewer(c), handleOf(c), account);
    return c.redirect(`${communityModerationPath(handleOf(c))}?unblocked=${encodeURIComponent(account)}`, 303);
  }

  return { page, replyPolicy, block, unblock };
}
