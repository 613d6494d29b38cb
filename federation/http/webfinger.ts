import { FetchError } from "@fedify/fedify";
import { fetchDocument, type FetchPolicy } from "./document-loader.ts";

interface Jrd {
  links?: { rel?: string; type?: string; href?: string }[];
}

const ACTIVITYPUB_TYPE = /^application\/(activity\+json|ld\+json)/;

/**
 * The actor URL behind a handle (`@bob@host` or `bob@host`), found by WebFinger
 * over https, under the same limits as every other fetch.
 */
export async function resolveHandle(handle: string, policy: FetchPolicy): Promise<URL> {
  const match = /^@?([^@\s]+)@([^@\s/]+)$/.exec(handle.trim());
  if (!match) throw new FetchError(handle, `Not a handle: ${handle}`);
  const [, user, host] = match;
  const url = `https://${host}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${user}@${host}`)}`;
  const { document } = await fetchDocument(url, "webfinger", policy);
  const self = (document as Jrd).links?.find((link) => link.rel === "self" && ACTIVITYPUB_TYPE.test(link.type ?? "") && link.href);
  if (!self?.href || !URL.canParse(self.href)) throw new FetchError(url, `${handle} has no ActivityPub actor`);
  return new URL(self.href);
}
