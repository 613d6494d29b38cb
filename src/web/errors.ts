import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DomainError, type ErrorCode } from "../domain/errors.ts";
import { errorPage } from "./pages/layout.ts";

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
};

/** Every error becomes a response here: JSON for the API, a page for people. */
export function onError(logError: (error: unknown) => void) {
  return (error: Error, c: Context) => {
    const wantsJson = c.req.path.startsWith("/api/");
    if (error instanceof DomainError) {
      const status = STATUS[error.code];
      return wantsJson
        ? c.json({ error: error.message, fields: error.fields }, status)
        : c.html(errorPage(c, status, error.message), status);
    }
    if (error instanceof HTTPException) {
      const status = error.status as ContentfulStatusCode;
      return wantsJson ? c.json({ error: error.message }, status) : c.html(errorPage(c, status, error.message), status);
    }
    logError(error);
    const message = "Something went wrong on our side. It has been logged.";
    return wantsJson ? c.json({ error: message }, 500) : c.html(errorPage(c, 500, message), 500);
  };
}
