import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { MAX_UPLOAD_BYTES } from "../services/media.ts";
import type { WebEnv } from "./env.ts";
import { isInboxPath } from "./inbox-limits.ts";
import { IMAGE_SLOTS } from "./pages/weeknote-form.tsx";

/** The forms that carry images: the weeknote form, new (/compose) and edited (/posts/:id/edit), and the profile forms. */
const IMAGE_FORM = /^\/(compose|posts\/[^/]+\/edit|account\/profile|@[a-z0-9_]+\/profile)$/;

/** A size as people read it: "64 KB", "2 MB". */
const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;

/**
 * Refuses a request body larger than it can legitimately be (413), before
 * anything reads it: a declared Content-Length is judged on its own, and a
 * body without one is read only up to the limit. Every form and API call
 * may carry `formMaxBytes`; the weeknote form also its images, each up to
 * MAX_UPLOAD_BYTES. The error handler (errors.tsx) answers JSON under /api
 * and a page elsewhere, so the refusal is thrown.
 */
export function bodyLimits(formMaxBytes: number): MiddlewareHandler<WebEnv> {
  const refuse = (message: string): never => {
    throw new HTTPException(413, { message });
  };
  const forms = bodyLimit({
    maxSize: formMaxBytes,
    onError: (c) =>
      refuse(
        c.req.path.startsWith("/api/")
          ? `The body is larger than the ${sizeText(formMaxBytes)} this server accepts.`
          : `That was more than a form can send (at most ${sizeText(formMaxBytes)}). Nothing was saved. Go back, shorten what you wrote, and send the form again.`,
      ),
  });
  const imageForms = bodyLimit({
    maxSize: IMAGE_SLOTS * MAX_UPLOAD_BYTES + formMaxBytes,
    onError: () =>
      refuse(
        `That was too much to send at once: images may be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB each. ` +
          "Nothing was saved. Go back, choose smaller images (or fewer at a time), and send the form again.",
      ),
  });
  return (c, next) => {
    // Inboxes have their own limit, checked where Fedify gets them (federation-middleware.ts).
    if (c.req.method === "GET" || c.req.method === "HEAD" || isInboxPath(c.req.path)) return next();
    return (IMAGE_FORM.test(c.req.path) ? imageForms : forms)(c, next);
  };
}
