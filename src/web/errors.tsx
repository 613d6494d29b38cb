import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DomainError, type ErrorCode } from "../domain/errors.ts";
import type { WebEnv } from "./env.ts";
import { ErrorPage } from "./pages/error-page.tsx";
import type { Render } from "./render.ts";

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many: 429,
};

/** Every error becomes a response here: JSON for the API, a page for people. */
export function onError(logError: (error: unknown) => void, render: Render) {
  return (error: Error, c: Context<WebEnv>) => {
    const wantsJson = c.req.path.startsWith("/api/");
    const respond = (status: ContentfulStatusCode, message: string, fields?: Record<string, string>) =>
      wantsJson
        ? c.json(fields ? { error: message, fields } : { error: message }, status)
        : render(c, (ctx) => <ErrorPage ctx={ctx} status={status} message={message} />, status);
    if (error instanceof DomainError) return respond(STATUS[error.code], error.message, error.fields);
    if (error instanceof HTTPException) return respond(error.status as ContentfulStatusCode, error.message);
    logError(error);
    return respond(500, "Something went wrong on our side. It has been logged.");
  };
}
