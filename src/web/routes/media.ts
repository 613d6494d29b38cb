import { Hono } from "hono";
import type { WebDeps } from "../deps.ts";

/**
 * Headers that keep an uploaded image inert: never sniffed as something else,
 * never allowed to run anything even if opened on its own, and cacheable for
 * ever (a file's name never names other bytes). Other servers (Mastodon
 * fetching a weeknote's attachments) may load it.
 */
const IMAGE_HEADERS = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; sandbox",
  "cache-control": "public, max-age=31536000, immutable",
  "content-disposition": "inline",
  "cross-origin-resource-policy": "cross-origin",
};

/** Uploaded images (`/media/{file}`), served with their stored type and headers that keep them inert. */
export function mediaRoutes({ services }: WebDeps) {
  const app = new Hono();

  app.get("/:file", async (c) => {
    // Names are looked up, never joined into a path here: "../" finds nothing.
    const found = await services.media.file(c.req.param("file"));
    if (!found) return c.notFound();
    return c.body(found.bytes as Uint8Array<ArrayBuffer>, 200, { ...IMAGE_HEADERS, "content-type": found.media.contentType });
  });

  return app;
}
