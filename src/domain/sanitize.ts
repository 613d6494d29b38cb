import { createRequire } from "node:module";
import type SanitizeHtml from "sanitize-html";
import { boundHtml } from "./html-bounds.ts";

const require = createRequire(import.meta.url);
let loaded: typeof SanitizeHtml | undefined;

/**
 * sanitize-html, loaded on first use: with its parser and CSS reader it is a
 * tenth of a second of start-up and some 15 MB that an instance at rest need
 * not hold. (It is CommonJS, so it loads synchronously, where it is needed.)
 */
function sanitizeHtml(): typeof SanitizeHtml {
  loaded ??= require("sanitize-html") as typeof SanitizeHtml;
  return loaded;
}

let postOptions: SanitizeHtml.IOptions | undefined;

/** What a post or a remote reply may contain: text structure and links, nothing active. */
const options = (): SanitizeHtml.IOptions =>
  (postOptions ??= {
    allowedTags: [
      "p",
      "br",
      "a",
      "strong",
      "b",
      "em",
      "i",
      "code",
      "pre",
      "blockquote",
      "ul",
      "ol",
      "li",
      "h1",
      "h2",
      "h3",
      "h4",
      "h5",
      "h6",
      "hr",
      "del",
      "s",
      "span",
      "table",
      "thead",
      "tbody",
      "tr",
      "th",
      "td",
    ],
    allowedAttributes: {
      a: ["href", "rel", "class", "title"],
      span: ["class"],
      th: ["align"],
      td: ["align"],
    },
    allowedSchemes: ["http", "https", "mailto"],
    // Mastodon marks mentions and hashtags with these classes; anything else goes.
    allowedClasses: { a: ["mention", "hashtag", "u-url"], span: ["h-card", "invisible", "ellipsis"] },
    transformTags: {
      a: sanitizeHtml().simpleTransform("a", { rel: "nofollow noopener noreferrer ugc" }),
    },
  });

export function sanitizePostHtml(html: string): string {
  return sanitizeHtml()(html, options());
}

/** HTML from another server: cut to bounds first (html-bounds.ts), so that no input makes sanitising slow. */
export function sanitizeRemoteHtml(html: string): string {
  return sanitizePostHtml(boundHtml(html));
}

/** Where a line or a block ends, a reader sees a space between the words. */
const BREAKS = /<(?:br|\/(?:p|li|h[1-6]|div|blockquote|tr))\b[^<>]*>/gi;
const TEXT_ESCAPES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"' };

/**
 * What a reader sees of a short piece of HTML from elsewhere (a summary,
 * which ActivityStreams makes HTML), as plain text: no markup, no entities.
 */
export function htmlToText(html: string): string {
  // With no tag allowed, sanitize-html leaves the text, escaped: undo that.
  const escaped = sanitizeHtml()(boundHtml(html).replace(BREAKS, " $&"), { allowedTags: [], allowedAttributes: {} });
  return escaped
    .replace(/&(?:amp|lt|gt|quot);/g, (entity) => TEXT_ESCAPES[entity]!)
    .replace(/\s+/g, " ")
    .trim();
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe to put in HTML, in an element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}
