import { Hono } from "hono";
import { pageAtOf, pageAtQuery, type PageAt } from "../../domain/paging.ts";
import type { Actor } from "../../domain/types.ts";
import { can } from "../../services/permissions.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { REACTION_DONE } from "../pages/reaction-buttons.tsx";
import { TimelinePage, type TimelinePageProps } from "../pages/timeline-page.tsx";
import type { Pages } from "../people.ts";
import { formProblem, formText } from "./forms.ts";
import { signInFirst } from "./sign-in-first.ts";

const NOTICES: Record<string, string> = {
  followed: "Follow request sent. Once they accept, what they publish from then on appears here.",
  replied: "Your reply was sent.",
  unfollowed: "Unfollowed. They are told, and what they publish no longer appears here.",
  ...REACTION_DONE,
};

/** How many of the accounts followed the side of the page lists; the follows page has them all. */
const FOLLOWING_SHOWN = 100;

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
  async function show(
    viewer: Actor,
    extra: Omit<TimelinePageProps, "ctx" | "posts" | "pages" | "following" | "moreFollowing" | "moderated" | "reacted" | "here">,
    withdrawnFrom?: string,
    at: PageAt = null,
  ) {
    const [{ items: posts, ...pages }, following, memberships] = await Promise.all([
      services.interactions.timelinePage(viewer, at),
      services.follows.followingPage(viewer, null, FOLLOWING_SHOWN),
      services.membershipsElsewhere.of(viewer),
    ]);
    const reacted = await services.interactions.reactionsTo(
      viewer,
      posts.map((p) => p.uri),
    );
    // Buttons bring people back to the page of posts they were on.
    const here = `/timeline${pageAtQuery(at)}`;
    const moderated = new Map(
      memberships
        .filter((m) => m.state === "active" && m.community && can(m.role, "moderate"))
        .map((m) => [m.community!.uri, m.community!.name ?? m.community!.handle ?? m.community!.uri]),
    );
    const asked = withdrawnFrom === undefined ? undefined : moderated.get(withdrawnFrom);
    const notice = asked ? `Asked ${asked} to take the post out.` : extra.notice;
    return (ctx: TimelinePageProps["ctx"]) => (
      <TimelinePage
        ctx={ctx}
        posts={posts}
        pages={pages}
        here={here}
        reacted={reacted}
        following={following.items}
        moreFollowing={following.older !== null}
        moderated={moderated}
        {...extra}
        notice={notice}
      />
    );
  }

  // Hono's "/*" covers "/timeline" itself too.
  app.use(
    "/*",
    signInFirst(() => "/timeline"),
  );

  app.get("/", async (c) => {
    const done = c.req.query("done") ?? "";
    // Own keys only: `?done=toString` must not find Object's methods.
    const notice = Object.hasOwn(NOTICES, done) ? NOTICES[done] : undefined;
    const at = pageAtOf(c.req.query("before"), c.req.query("after"));
    return render(c, await show(c.get("viewer")!, { notice }, c.req.query("withdrawn"), at));
  });

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
