import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "static");

/** The stylesheet and the one small script (`/static/{file}`), read once at start. Their URLs are fixed, so they are cached briefly. */
export function staticRoutes() {
  const files: Record<string, { body: string; type: string }> = {
    "style.css": { body: readFileSync(join(dir, "style.css"), "utf8"), type: "text/css; charset=utf-8" },
    "app.js": { body: readFileSync(join(dir, "app.js"), "utf8"), type: "text/javascript; charset=utf-8" },
  };
  const app = new Hono();
  app.get("/:file", (c) => {
    const file = files[c.req.param("file")];
    if (!file) return c.notFound();
    return c.body(file.body, 200, { "content-type": file.type, "cache-control": "public, max-age=3600" });
  });
  return app;
}
