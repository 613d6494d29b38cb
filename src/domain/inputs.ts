import type { DecisionStatus } from "./decisions.ts";
import { isAccountAt, normaliseHandle, normaliseRemoteAccount } from "./handle.ts";

/** The decision record a reply answered, as a list of someone's input names it. */
export interface AnsweredRecord {
  id: string;
  title: string;
  status: DecisionStatus;
}

/** One reply to a decision record here, as stored: from elsewhere, or a note written here. */
export interface RecordReply {
  /** A reply from elsewhere: its id (URI). A note written here: the note's id, which the service turns into its URL. */
  id: string;
  /** Where it can be read, if it said so (replies from elsewhere). */
  url: string | null;
  /** Sanitised when stored. */
  contentHtml: string;
  publishedAt: Date;
  record: AnsweredRecord;
}

/** Whose input is asked for: a person here, by handle, or an account elsewhere, as `@user@host` in lower case. */
export type InputAuthor = { here: string } | { elsewhere: string };

/** One word with no "@", "/" or spaces: a handle here, with or without its "@". */
const LOCAL = /^@?[^@\s/]+$/;

/**
 * Reads a handle as typed on the input page: `@name@server.example` (an
 * account elsewhere, or here when it names this instance's own host) or
 * `@name` (someone here). Null when it is not a handle. Hosts and user names
 * do not differ by case, so both are lower-cased: stored handles are compared
 * without case too.
 */
export function parseInputAuthor(raw: string, origin: string): InputAuthor | null {
  const value = raw.trim();
  if (LOCAL.test(value)) return { here: normaliseHandle(value) };
  const account = normaliseRemoteAccount(value);
  // Only `@user@host`: the page asks for a handle, not a profile's address.
  if (account === null || !account.startsWith("@")) return null;
  const at = account.lastIndexOf("@");
  if (isAccountAt(account, origin)) return { here: normaliseHandle(account.slice(0, at)) };
  return { elsewhere: account.toLowerCase() };
}

/** An author as pages show it: `@name@host`, with this instance's host for someone here. */
export function inputAuthorHandle(author: InputAuthor, origin: string): string {
  return "here" in author ? `@${author.here}@${new URL(origin).host}` : author.elsewhere;
}
