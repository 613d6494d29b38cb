import { Hono } from "hono";
import { FEED_PATH } from "../../domain/urls.ts";
import { ATOM_HEADERS, FEED_SIZE } from "../atom/atom.ts";
import { weeknoteFeed } from "../atom/weeknote-feed.ts";
import type { WebDeps } from "../deps.ts";

/** The instance's weeknotes as an Atom feed (`/feed.atom`); actors' feeds are theirs (actors/). */
export function feedRoutes({ services, config, now }: WebDeps) {
  const app = new Hono();

  app.get("/", async (c) => {
    const [instanceName, weeknotes] = await Promise.all([services.setup.instanceName(), services.reading.feed(null, FEED_SIZE)]);
    const xml = weeknoteFeed(
      config.origin,
      { title: instanceName, selfPath: FEED_PATH, pagePath: "/", readAt: new Date(now()) },
      weeknotes,
    );
    return c.body(xml, 200, ATOM_HEADERS);
  });

  return app;
}
