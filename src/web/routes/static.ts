import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import { projectRoot } from "../../project-root.ts";

// From the sources, whether the code runs from them or compiled in dist/.
const dir = join(projectRoot, "src", "web", "static");

/** The stylesheet, the one small script and the icon (`/static/{file}`), read once at start. Their URLs are fixed, so they are cached briefly. */
export function staticRoutes() {
  const files: Record<string, { body: string; type: string }> = {
    "style.css": { body: readFileSync(join(dir, "style.css"), "utf8"), type: "text/css; charset=utf-8" },
    "app.js": { body: readFileSync(join(dir, "app.js"), "utf8"), type: "text/javascript; charset=utf-8" },
    "favicon.svg": { body: readFileSync(join(dir, "favicon.svg"), "utf8"), type: "image/svg+xml" },
  };
  const app = new Hono();
  app.get("/:file", (c) => {
    const file = files[c.req.param("file")];
    if (!file) return c.notFound();
    return c.body(file.body, 200, { "content-type": file.type, "cache-control": "public, max-age=3600" });
  });
  return app;
}

/** Browsers ask for `/favicon.ico` whatever the page links to: they are sent to the icon, not the 404 page. */
export function faviconRoute() {
  const app = new Hono();
  app.get("/", (c) => c.redirect("/static/favicon.svg", 301));
  return app;
}
