import { Hono } from "hono";
import type { WebDeps } from "../deps.ts";

/** The activities we sent, each at its id (`/activities/{id}`), so that other servers can fetch them. */
export function activityRoutes({ services }: WebDeps) {
  const app = new Hono();

  app.get("/:id", async (c) => {
    const json = await services.sentActivities.find(c.req.param("id"));
    if (!json) return c.notFound();
    return c.body(JSON.stringify(json), 200, { "content-type": "application/activity+json" });
  });

  return app;
}
