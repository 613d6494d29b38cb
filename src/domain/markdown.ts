import MarkdownIt from "markdown-it";
import { sanitizePostHtml } from "./sanitize.ts";

// Raw HTML in Markdown is turned off: authors write Markdown, not markup.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** Markdown to safe HTML, for weeknote bodies and notes. */
export function renderMarkdown(source: string): string {
  return sanitizePostHtml(markdown.render(source));
}

/** Markdown as plain text: the words only, for one-line summaries that must not show "**" or "#". */
export function markdownToText(source: string): string {
  const words: string[] = [];
  for (const token of markdown.parse(source, {})) {
    if (token.type !== "inline") continue;
    const text = (token.children ?? [])
      .map((child) => (child.type === "softbreak" || child.type === "hardbreak" ? " " : child.content))
      .join("");
    words.push(text);
  }
  return words.join(" ");
}
