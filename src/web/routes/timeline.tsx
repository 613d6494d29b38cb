import { Hono } from "hono";
import { can } from "../../services/permissions.ts";
import type { Actor } from "../../domain/types.ts";
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

/** A signed-in person's view of the wider fediverse (`/timeline`): who they follow, what those accounts publish, and replying to it. */
export function timelineRoutes({ services }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);

  /** The communities elsewhere the viewer moderates, by their URI: their boosts get a button to take the post out. */
  async function moderatedElsewhere(viewer: Actor): Promise<Map<string, string>> {
    const memberships = await services.membershipsElsewhere.of(viewer);
    return new Map(
      memberships
        .filter((m) => m.state === "active" && m.community && can(m.role, "moderate"))
        .map((m) => [m.community!.uri, m.community!.name ?? m.community!.handle ?? m.community!.uri]),
    );
  }

  async function show(viewer: Actor, extra: Omit<TimelinePageProps, "ctx" | "posts" | "following" | "moderated">) {
    const [posts, following, moderated] = await Promise.all([
      services.interactions.timeline(viewer),
      services.follows.following(viewer, 100),
      moderatedElsewhere(viewer),
    ]);
    return (ctx: TimelinePageProps["ctx"]) => (
      <TimelinePage ctx={ctx} posts={posts} following={following} moderated={moderated} {...extra} />
    );
  }

  // Hono's "/*" covers "/timeline" itself too.
  app.use(
    "/*",
    signInFirst(() => "/timeline"),
  );

  app.get("/", async (c) => {
    const viewer = c.get("viewer")!;
    const asked = c.req.query("withdraw");
    const community = asked === undefined ? undefined : (await moderatedElsewhere(viewer)).get(asked);
    const notice = community ? `Asked ${community} to take the post out.` : NOTICES[c.req.query("done") ?? ""];
    return render(c, await show(viewer, { notice }));
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
    return c.redirect(`/timeline?withdraw=${encodeURIComponent(community)}`, 303);
  });

  return app;
}
