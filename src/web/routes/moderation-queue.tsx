import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { forbidden } from "../../domain/errors.ts";
import type { Actor } from "../../domain/types.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { MODERATION_PATH } from "../../domain/urls.ts";
import { ModerationQueuePage } from "../pages/moderation-queue-page.tsx";
import type { FieldErrors } from "../pages/components.tsx";
import type { Pages } from "../people.ts";
import { bodyText, formBody, formProblem } from "./forms.ts";
import { askedFor, signInFirst } from "./sign-in-first.ts";

const NOTICES: Record<string, string> = {
  approved: "The reply is approved: it is shown under its post, and its author's server is told.",
  refused: "The reply is refused: it is deleted, and its author's server is told.",
};

/**
 * Replies held for approval (`/moderation`), for those who moderate a
 * community and the instance's administrators: the queue, and approving
 * (`/moderation/replies/approve`) or refusing (`/moderation/replies/refuse`) each.
 */
export function moderationQueueRoutes({ services }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);
  app.use("*", signInFirst(askedFor(MODERATION_PATH)));

  const viewer = (c: Context<WebEnv>): Actor => c.get("viewer")!;

  /** The queue page; only for someone who moderates something. */
  async function showQueue(c: Context<WebEnv>, extra: { notice?: string; errors?: FieldErrors } = {}, status: ContentfulStatusCode = 200) {
    if ((await services.replies.heldCount(viewer(c))) === null)
      throw forbidden("Only those who moderate a community can see its held replies.");
    const queue = await services.replies.queue(viewer(c));
    return render(c, (ctx) => <ModerationQueuePage ctx={ctx} queue={queue} {...extra} />, status);
  }

  app.get("/", (c) => showQueue(c, { notice: NOTICES[c.req.query("done") ?? ""] }));

  /** Runs one decision on a held reply; a refusal re-renders the queue with what went wrong. */
  const decide =
    (done: "approved" | "refused", act: (person: Actor, reply: string, reason: string) => Promise<unknown>) =>
    async (c: Context<WebEnv>) => {
      const body = await formBody(c);
      try {
        await act(viewer(c), bodyText(body, "reply"), bodyText(body, "reason"));
        return c.redirect(`${MODERATION_PATH}?done=${done}`, 303);
      } catch (error) {
        const { status, errors } = formProblem(error);
        return showQueue(c, { errors }, status);
      }
    };

  app.post(
    "/replies/approve",
    decide("approved", (person, reply) => services.replies.approve(person, reply)),
  );
  app.post(
    "/replies/refuse",
    decide("refused", (person, reply, reason) => services.replies.refuse(person, reply, reason)),
  );

  return app;
}
