import { Hono } from "hono";
import { pageAtOf } from "../../domain/paging.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { TagPage } from "../pages/tag-page.tsx";
import type { Pages } from "../people.ts";

/** A tag's page (`/tags/{tag}`): the weeknotes that carry it. */
export function tagRoutes({ services }: WebDeps, { render, forPeople, cached }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("/:tag", cached);
  app.use("*", forPeople);

  app.get("/:tag", async (c) => {
    const tag = c.req.param("tag").toLowerCase();
    const { posts, names, pages } = await services.reading.tagged(tag, pageAtOf(c.req.query("before"), c.req.query("after")));
    return render(c, (ctx) => <TagPage ctx={ctx} tag={tag} posts={posts} names={names} pages={pages} />);
  });

  return app;
}
