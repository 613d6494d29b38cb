export type ErrorCode = "invalid" | "not_found" | "forbidden" | "conflict" | "unauthorized" | "too_many";

/**
 * The one error type that services throw for a request that cannot be done.
 * The web layer turns it into a response in one place; the CLI prints it.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Per-field messages, for forms and API clients. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const invalid = (message: string, fields: Record<string, string> = {}) => new DomainError("invalid", message, fields);
export const notFound = (message: string) => new DomainError("not_found", message);
export const forbidden = (message: string) => new DomainError("forbidden", message);
export const conflict = (message: string, fields: Record<string, string> = {}) => new DomainError("conflict", message, fields);
export const unauthorized = (message: string) => new DomainError("unauthorized", message);

/** Too many attempts: another is considered only after a wait, which the web layer sends as Retry-After. */
export class TooManyAttempts extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super("too_many", message);
  }
}

export const tooMany = (message: string, retryAfterSeconds: number) => new TooManyAttempts(message, retryAfterSeconds);
