/** How many entries a feed carries: enough for a reader that polls weekly. */
export const FEED_SIZE = 50;

export const ATOM_HEADERS = {
  "content-type": "application/atom+xml; charset=utf-8",
  "cache-control": "public, max-age=300",
};

/** What tells one feed from another: its title and where it and its HTML page live. */
export interface FeedMeta {
  title: string;
  selfPath: string;
  pagePath: string;
  /** When the feed is read: its `updated` while it has no entries. */
  readAt: Date;
}

/**
 * xml-js, under the package, turns "&amp;" in text into "&" before escaping
 * (so "Fish &amp; Chips" would come out as "Fish & Chips"); the package
 * pre-escapes "&" in some fields but not in titles and names, so we do.
 */
export const asXmlText = (text: string) => text.replaceAll("&", "&amp;");

/**
 * XML 1.0 forbids most control characters, which titles and names may
 * carry; one would make the whole feed unreadable, so they go.
 */
export const withoutNonXmlCharacters = (xml: string) => xml.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "");
