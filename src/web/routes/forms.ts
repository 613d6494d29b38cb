import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DomainError } from "../../domain/errors.ts";
import type { WebEnv } from "../env.ts";
import type { FieldErrors } from "../pages/components.tsx";

/** One text field of the submitted form ("" when missing, or a file, or repeated). */
export async function formText(c: Context<WebEnv>, name: string): Promise<string> {
  // Parsed once already by the anti-forgery check; Hono keeps the result.
  const value = (await c.req.parseBody({ all: true }))[name];
  return typeof value === "string" ? value : "";
}

/**
 * A DomainError a form can show next to its fields (invalid: 400, conflict:
 * 409), with its status; any other error goes on to the error page.
 */
export function formProblem(error: unknown): { status: ContentfulStatusCode; errors: FieldErrors } {
  if (error instanceof DomainError && (error.code === "invalid" || error.code === "conflict") && Object.keys(error.fields).length > 0) {
    return { status: error.code === "conflict" ? 409 : 400, errors: error.fields };
  }
  throw error;
}
