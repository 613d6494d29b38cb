import { createRequire } from "node:module";
import type MarkdownIt from "markdown-it";
import { sanitizePostHtml } from "./sanitize.ts";

const require = createRequire(import.meta.url);
let parser: InstanceType<typeof MarkdownIt> | undefined;

/**
 * The Markdown parser, made on first use: an instance that only serves pages
 * need not load it at start. Raw HTML in Markdown is turned off: authors
 * write Markdown, not markup.
 */
function markdown(): InstanceType<typeof MarkdownIt> {
  if (!parser) {
    const Parser = require("markdown-it") as typeof MarkdownIt;
    parser = new Parser({ html: false, linkify: true, typographer: false });
  }
  return parser;
}

/** Markdown to safe HTML, for weeknote bodies and notes. */
export function renderMarkdown(source: string): string {
  return sanitizePostHtml(markdown().render(source));
}

/** Markdown as plain text: the words only, for one-line summaries that must not show "**" or "#". */
export function markdownToText(source: string): string {
  const words: string[] = [];
  for (const token of markdown().parse(source, {})) {
    if (token.type !== "inline") continue;
    const text = (token.children ?? [])
      .map((child) => (child.type === "softbreak" || child.type === "hardbreak" ? " " : child.content))
      .join("");
    words.push(text);
  }
  return words.join(" ");
}
