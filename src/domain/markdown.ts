import MarkdownIt from "markdown-it";
import { sanitizePostHtml } from "./sanitize.ts";

// Raw HTML in Markdown is turned off: authors write Markdown, not markup.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** Markdown to safe HTML, for weeknote bodies and notes. */
export function renderMarkdown(source: string): string {
  return sanitizePostHtml(markdown.render(source));
}
