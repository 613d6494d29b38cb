import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DomainError } from "../../domain/errors.ts";
import type { WebEnv } from "../env.ts";
import type { FieldErrors } from "../pages/components.tsx";

/** A parsed form, as Hono gives it with `{ all: true }`. */
export type FormBody = Record<string, string | File | (string | File)[]>;

/** The submitted form. Parsed once already by the anti-forgery check; Hono keeps the result. */
export const formBody = (c: Context<WebEnv>): Promise<FormBody> => c.req.parseBody({ all: true });

/** One text field of a form ("" when missing, or a file, or repeated). */
export function bodyText(body: FormBody, name: string): string {
  const value = body[name];
  return typeof value === "string" ? value : "";
}

/** Every text value of a repeated field (ticked boxes). */
export const bodyTexts = (body: FormBody, name: string): string[] =>
  [body[name] ?? []].flat().filter((v): v is string => typeof v === "string");

/** One text field of the submitted form ("" when missing, or a file, or repeated). */
export async function formText(c: Context<WebEnv>, name: string): Promise<string> {
  return bodyText(await formBody(c), name);
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
