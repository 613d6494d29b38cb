import type { Context } from "hono";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { pageAtOf } from "../../domain/paging.ts";
import type { Actor } from "../../domain/types.ts";
import { followsPath } from "../../domain/urls.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { FollowsPage, type FollowsPageProps } from "../pages/follows-page.tsx";
import type { Pages } from "../people.ts";
import { bodyText, formBody, formProblem } from "./forms.ts";
import { askedFor, signInFirst } from "./sign-in-first.ts";

const NOTICES: Record<string, string> = {
  followed:
    "Follow request sent. Once they accept, they are listed as followed, and what they publish from then on appears in your network view.",
  unfollowed: "Unfollowed. They are told, and what they publish no longer appears in your network view.",
};

/** Back to the follows page or the network view (nowhere else), with what was done in its query. */
function doneAt(back: string, done: string): string {
  const url = new URL(/^\/(follows|timeline)(\?|$)/.test(back) ? back : "/follows", "http://here");
  url.searchParams.set("done", done);
  return url.pathname + url.search;
}

/**
 * The follows page (`/follows`): whom a person and each community they
 * manage follow, and who follows them, a page of each at a time (`?as=`
 * chooses the community); following as either, and unfollowing.
 */
export function followRoutes({ services }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);
  app.use("/*", signInFirst(askedFor("/follows")));

  async function show(
    c: Context<WebEnv>,
    viewer: Actor,
    as: string | null,
    extra: Pick<FollowsPageProps, "notice" | "follow"> = {},
    status?: ContentfulStatusCode,
  ) {
    const q = (name: string) => c.req.query(name);
    const lists = await services.follows.lists(
      viewer,
      as,
      pageAtOf(q("following-before"), q("following-after")),
      pageAtOf(q("followers-before"), q("followers-after")),
    );
    return render(c, (ctx) => <FollowsPage ctx={ctx} {...lists} {...extra} />, status);
  }

  app.get("/", (c) => {
    const done = c.req.query("done") ?? "";
    return show(c, c.get("viewer")!, c.req.query("as") || null, { notice: Object.hasOwn(NOTICES, done) ? NOTICES[done] : undefined });
  });

  app.post("/", async (c) => {
    const viewer = c.get("viewer")!;
    const body = await formBody(c);
    const target = bodyText(body, "target").trim();
    const as = bodyText(body, "as") || viewer.handle;
    try {
      await services.follows.requestFollowAs(viewer, as, target);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return show(c, viewer, as === viewer.handle ? null : as, { follow: { target, as, errors } }, status);
    }
    return c.redirect(doneAt(followsPath(as === viewer.handle ? undefined : as), "followed"), 303);
  });

  app.post("/unfollow", async (c) => {
    const body = await formBody(c);
    await services.follows.unfollow(c.get("viewer")!, bodyText(body, "following"));
    return c.redirect(doneAt(bodyText(body, "back"), "unfollowed"), 303);
  });

  return app;
}
