import { Hono } from "hono";
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
    const { posts, names } = await services.reading.tagged(tag);
    return render(c, (ctx) => <TagPage ctx={ctx} tag={tag} posts={posts} names={names} />);
  });

  return app;
}
