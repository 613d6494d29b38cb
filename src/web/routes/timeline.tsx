import { Hono } from "hono";
import type { Actor } from "../../domain/types.ts";
import { can } from "../../services/permissions.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { TimelinePage, type TimelinePageProps } from "../pages/timeline-page.tsx";
import type { Pages } from "../people.ts";
import { formProblem, formText } from "./forms.ts";
import { signInFirst } from "./sign-in-first.ts";

const NOTICES: Record<string, string> = {
  followed: "Follow request sent. Once they accept, they appear under “You follow”, and what they publish from then on appears here.",
  replied: "Your reply was sent.",
};

/**
 * A signed-in person's view of the wider fediverse (`/timeline`): who they
 * follow, what those accounts publish, replying to it, and asking a community
 * elsewhere they moderate to take out a post it boosted.
 */
export function timelineRoutes({ services }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);

  /**
   * The page, with what the viewer's memberships elsewhere allow: boosts by a
   * community they moderate get a button to take the post out. `withdrawnFrom`
   * is the community just asked to do so, named in the notice if they moderate it.
   */
  async function show(viewer: Actor, extra: Omit<TimelinePageProps, "ctx" | "posts" | "following" | "moderated">, withdrawnFrom?: string) {
    const [posts, following, memberships] = await Promise.all([
      services.interactions.timeline(viewer),
      services.follows.following(viewer, 100),
      services.membershipsElsewhere.of(viewer),
    ]);
    const moderated = new Map(
      memberships
        .filter((m) => m.state === "active" && m.community && can(m.role, "moderate"))
        .map((m) => [m.community!.uri, m.community!.name ?? m.community!.handle ?? m.community!.uri]),
    );
    const asked = withdrawnFrom === undefined ? undefined : moderated.get(withdrawnFrom);
    const notice = asked ? `Asked ${asked} to take the post out.` : extra.notice;
    return (ctx: TimelinePageProps["ctx"]) => (
      <TimelinePage ctx={ctx} posts={posts} following={following} moderated={moderated} {...extra} notice={notice} />
    );
  }

  // Hono's "/*" covers "/timeline" itself too.
  app.use(
    "/*",
    signInFirst(() => "/timeline"),
  );

  app.get("/", async (c) =>
    render(c, await show(c.get("viewer")!, { notice: NOTICES[c.req.query("done") ?? ""] }, c.req.query("withdrawn"))),
  );

  app.post("/follows", async (c) => {
    const viewer = c.get("viewer")!;
    const target = (await formText(c, "target")).trim();
    try {
      await services.follows.requestFollow(viewer.handle, target);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return render(c, await show(viewer, { follow: { target, errors } }), status);
    }
    return c.redirect("/timeline?done=followed", 303);
  });

  app.post("/replies", async (c) => {
    const viewer = c.get("viewer")!;
    const inReplyTo = await formText(c, "inReplyTo");
    const body = await formText(c, "body");
    try {
      await services.interactions.reply(viewer, inReplyTo, body);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return render(c, await show(viewer, { reply: { inReplyTo, body, errors } }), status);
    }
    return c.redirect("/timeline?done=replied", 303);
  });

  app.post("/withdraw", async (c) => {
    const community = await formText(c, "community");
    await services.membershipsElsewhere.requestWithdrawal(c.get("viewer")!, community, await formText(c, "post"));
    return c.redirect(`/timeline?withdrawn=${encodeURIComponent(community)}`, 303);
  });

  return app;
}
