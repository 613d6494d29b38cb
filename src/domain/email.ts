import { invalid } from "./errors.ts";

/** The longest address SMTP carries (RFC 5321's path limit, less its angle brackets). */
export const MAX_EMAIL_LENGTH = 254;

/**
 * A plain address: something, an @, and a domain with a dot. No spaces, line
 * breaks, angle brackets or quotes, so an address can never carry a header or
 * a second recipient into a message.
 */
const ADDRESS = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+\.[^\s@<>()[\]",;:\\]+$/;

/** Whether the text is an email address this instance sends to. */
export function isEmailAddress(value: string): boolean {
  return value.length <= MAX_EMAIL_LENGTH && ADDRESS.test(value);
}

/**
 * An address as it is stored and compared: trimmed and lower-cased, so that
 * the same mailbox typed twice is the same address (providers ignore case).
 */
export function normaliseEmail(raw: string): string {
  return (raw ?? "").trim().toLowerCase();
}

/** Checks an address typed into a form; returns it normalised, or throws naming the `email` field. */
export function validateEmail(raw: string, field = "email"): string {
  const email = normaliseEmail(raw);
  if (!isEmailAddress(email)) {
    throw invalid("Enter an email address such as name@example.gov.", { [field]: "enter an email address such as name@example.gov" });
  }
  return email;
}
