import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MAX_UPLOAD_BYTES } from "../../services/media.ts";
import type { WebEnv } from "../env.ts";
import { ErrorPage } from "../pages/error-page.tsx";
import { IMAGE_SLOTS } from "../pages/weeknote-form.tsx";
import type { Render } from "../render.ts";

/** Every image slot full to the limit, and room for the text. */
export const MAX_FORM_BYTES = IMAGE_SLOTS * MAX_UPLOAD_BYTES + 1024 * 1024;

const TOO_LARGE =
  `That was too much to send at once: images may be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB each. ` +
  "Nothing was saved. Go back, choose smaller images (or fewer at a time), and send the form again.";

/**
 * Refuses a weeknote form larger than it can legitimately be, with a page
 * that says why. Mounted before the anti-forgery check, so that an oversized
 * body is never read into memory.
 */
export function uploadLimit(render: Render): MiddlewareHandler<WebEnv> {
  return bodyLimit({
    maxSize: MAX_FORM_BYTES,
    onError: (c) => render(c, (ctx) => <ErrorPage ctx={ctx} status={413} message={TOO_LARGE} />, 413),
  });
}
