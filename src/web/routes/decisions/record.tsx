import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Decision } from "../../../domain/decisions.ts";
import { notFound } from "../../../domain/errors.ts";
import { absoluteUrl, actorPath, decisionPath } from "../../../domain/urls.ts";
import type { WebDeps } from "../../deps.ts";
import type { WebEnv } from "../../env.ts";
import type { FieldErrors } from "../../pages/components.tsx";
import { DecisionPage } from "../../pages/decision-page.tsx";
import type { Render } from "../../render.ts";
import type { ModerationProblem } from "../../pages/thread.tsx";
import { formProblem, formText } from "../forms.ts";
import { replyModeration } from "../reply-moderation.ts";

/**
 * A decision record's page (`/decisions/{id}`), replying to it from there
 * (`/replies`), and hiding and restoring its replies (`/replies/hide`,
 * `/replies/restore`).
 */
export function recordPages({ services, config }: WebDeps, render: Render) {
  async function publishedDecision(c: Context<WebEnv>): Promise<Decision> {
    const decision = await services.decisions.get(c.req.param("id")!);
    if (!decision || decision.post.state !== "published") throw notFound("There is no such decision record. The address may be wrong.");
    return decision;
  }

  /** The record's page, saying what was just done, or with the reply form's text and errors shown again. */
  async function renderRecordPage(
    c: Context<WebEnv>,
    decision: Decision,
    extra: { done?: string; reply?: { body: string; errors: FieldErrors }; moderationProblem?: ModerationProblem },
    status?: ContentfulStatusCode,
  ) {
    const { deciders, ...page } = await services.decisionReading.recordPage(decision, c.get("viewer"));
    // "alice" is a person here, shown by name; "bob@host" is someone elsewhere, shown by handle.
    const named = deciders.map(({ handle, person }) =>
      person ? { name: person.displayName, href: actorPath(person.handle) } : { name: `@${handle}`, href: null },
    );
    return render(c, (ctx) => <DecisionPage ctx={ctx} decision={decision} deciders={named} {...page} {...extra} />, status);
  }

  /** GET `/decisions/{id}` */
  async function page(c: Context<WebEnv>) {
    return renderRecordPage(c, await publishedDecision(c), { done: c.req.query("done") });
  }

  /** POST `/decisions/{id}/replies` */
  async function reply(c: Context<WebEnv>) {
    const viewer = c.get("viewer")!;
    const decision = await publishedDecision(c);
    const text = await formText(c, "body");
    try {
      await services.interactions.reply(viewer, absoluteUrl(config.origin, decisionPath(decision.post.id)), text);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return renderRecordPage(c, decision, { reply: { body: text, errors } }, status);
    }
    return c.redirect(`${decisionPath(decision.post.id)}?done=replied#replies-title`, 303);
  }

  /** POST `/decisions/{id}/replies/hide` and `/restore` */
  const moderation = replyModeration(services, {
    load: publishedDecision,
    postId: (decision) => decision.post.id,
    path: (decision) => decisionPath(decision.post.id),
    again: (c, decision, moderationProblem, status) => renderRecordPage(c, decision, { moderationProblem }, status),
  });

  return { page, reply, hideReply: moderation.hide, restoreReply: moderation.restore };
}
