import { describe, expect, it } from "vitest";
import { markdownToText, renderMarkdown } from "../../src/domain/markdown.ts";
import { sanitizePostHtml } from "../../src/domain/sanitize.ts";

describe("renderMarkdown", () => {
  it("renders Markdown", () => {
    const html = renderMarkdown("We **opened** the *consultation*.\n\n- one\n- two");
    expect(html).toContain("<strong>opened</strong>");
    expect(html).toContain("<em>consultation</em>");
    expect(html).toContain("<li>one</li>");
  });

  it("does not pass raw HTML through", () => {
    const html = renderMarkdown('Hi <script>alert(1)</script> <img src=x onerror="alert(1)">');
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
  });

  it("gives links rel=nofollow noopener noreferrer ugc, including linkified ones", () => {
    const html = renderMarkdown("[the plan](https://example.gov/plan) and https://example.org/x");
    expect(html).toContain('<a href="https://example.gov/plan" rel="nofollow noopener noreferrer ugc">the plan</a>');
    expect(html).toContain('<a href="https://example.org/x" rel="nofollow noopener noreferrer ugc">');
  });

  it("drops javascript: links", () => {
    const html = renderMarkdown("[click](javascript:alert(1))");
    expect(html).not.toMatch(/href="javascript:/);
    expect(html).not.toContain("<a");
  });
});

describe("sanitizePostHtml", () => {
  it("removes scripts, event handlers, styles and disallowed schemes", () => {
    const html = sanitizePostHtml(
      '<p onclick="x()" style="color:red">hi<script>alert(1)</script><iframe src="https://evil"></iframe>' +
        '<a href="javascript:alert(1)">x</a><a href="data:text/html,hi">y</a></p>',
    );
    expect(html).toBe('<p>hi<a rel="nofollow noopener noreferrer ugc">x</a><a rel="nofollow noopener noreferrer ugc">y</a></p>');
  });

  it("keeps Mastodon's mention and hashtag classes but no others, and overrides rel", () => {
    const html = sanitizePostHtml(
      '<a href="https://m.example/@a" class="u-url mention evil" rel="me" target="_blank">@a</a><span class="h-card other">x</span>',
    );
    expect(html).toBe(
      '<a href="https://m.example/@a" class="u-url mention" rel="nofollow noopener noreferrer ugc">@a</a><span class="h-card">x</span>',
    );
  });
});

describe("markdownToText", () => {
  it("keeps the words and drops the marks, for one-line summaries", () => {
    expect(markdownToText("We collect **weekly**, see [the plan](https://example.org).\n\n# Next\n\n- one\n- two")).toBe(
      "We collect weekly, see the plan. Next one two",
    );
  });
});
