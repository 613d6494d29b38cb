import { invalid } from "./errors.ts";

/** Handles are the local part of @handle@host: lower case letters, digits and underscores. */
const HANDLE = /^[a-z0-9_]{1,30}$/;

/** Handles kept for the instance itself and for paths that must not be shadowed. */
export const RESERVED_HANDLES = new Set([
  "instance",
  "admin",
  "administrator",
  "api",
  "inbox",
  "outbox",
  "nodeinfo",
  "root",
  "support",
  "system",
  "well_known",
]);

export const INSTANCE_ACTOR_HANDLE = "instance";

export function normaliseHandle(raw: string): string {
  return raw.trim().replace(/^@/, "").toLowerCase();
}

/** Checks a handle for a new person or community; returns it normalised. */
export function validateNewHandle(raw: string): string {
  const handle = normaliseHandle(raw);
  if (!HANDLE.test(handle)) {
    throw invalid("Handle must be 1 to 30 lower-case letters, digits or underscores.", {
      handle: "use 1 to 30 of a-z, 0-9 and _",
    });
  }
  if (RESERVED_HANDLES.has(handle)) {
    throw invalid(`The handle "${handle}" is reserved.`, { handle: "this handle is reserved" });
  }
  return handle;
}

const ACCT = /^@?[^@\s]+@[^@\s]+$/;

/**
 * An account on another server as typed: `@user@host` (the @ added if
 * missing) or its actor URL, normalised; null if it is neither.
 */
export function normaliseRemoteAccount(raw: string): string | null {
  const value = raw.trim();
  if (/^https?:\/\//.test(value) && URL.canParse(value)) return new URL(value).href;
  if (ACCT.test(value)) return value.startsWith("@") ? value : `@${value}`;
  return null;
}

/** Whether an account, as `normaliseRemoteAccount` gives it, is on the server at this origin. */
export function isAccountAt(account: string, origin: string): boolean {
  const host = new URL(origin).host;
  return account.startsWith("@") ? account.slice(account.lastIndexOf("@") + 1).toLowerCase() === host : new URL(account).host === host;
}
