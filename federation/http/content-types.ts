/** What is being fetched: an ActivityPub object (actor, key, post), a JSON-LD context, or a WebFinger answer. */
export type DocumentKind = "object" | "context" | "webfinger";

const AS_PROFILE = "https://www.w3.org/ns/activitystreams";

/**
 * Whether a response's content type is one the document may come as.
 * Objects: `application/activity+json`, or `application/ld+json` with the
 * ActivityStreams profile (what Mastodon accepts). Contexts: JSON-LD or plain
 * JSON. Never HTML, images or octet streams, whatever the body looks like.
 */
export function acceptsAs(kind: DocumentKind, contentType: string | null): boolean {
  if (!contentType) return false;
  const [mediaType = "", ...params] = contentType.split(";").map((part) => part.trim());
  const type = mediaType.toLowerCase();
  if (kind === "webfinger") return type === "application/jrd+json" || type === "application/json";
  if (kind === "context") return type === "application/ld+json" || type === "application/json" || type === "application/activity+json";
  if (type === "application/activity+json") return true;
  if (type !== "application/ld+json") return false;
  return params.some((param) => {
    const match = /^profile\s*=\s*"?([^"]*)"?$/i.exec(param);
    return match !== null && match[1]!.split(/\s+/).includes(AS_PROFILE);
  });
}
