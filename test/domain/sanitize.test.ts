import { describe, expect, it } from "vitest";
import { REMOTE_HTML_LIMITS } from "../../src/domain/html-bounds.ts";
import { htmlToText, sanitizePostHtml, sanitizeRemoteHtml } from "../../src/domain/sanitize.ts";

/**
 * The element structure of sanitised HTML (whose tags are all quoted and
 * allowed): how deep it nests, and whether every element closes in order.
 */
function structure(html: string) {
  const stack: string[] = [];
  let deepest = 0;
  let balanced = true;
  for (const [, close, name, selfClosing] of html.matchAll(/<(\/?)([a-z0-9]+)[^>]*?(\/?)>/g)) {
    if (selfClosing) continue;
    if (close) balanced &&= stack.pop() === name;
    else deepest = Math.max(deepest, stack.push(name!));
  }
  return { deepest, balanced: balanced && stack.length === 0 };
}

const { length, depth, markup } = REMOTE_HTML_LIMITS;

describe("sanitising HTML from other servers", () => {
  it("treats ordinary posts, tidy or sloppy, exactly as the post sanitiser does", () => {
    const samples = [
      '<p>Thanks <span class="h-card"><a href="https://m.example/@zoe" class="u-url mention">@<span>zoe</span></a></span>! ' +
        '<a href="https://m.example/tags/bins" class="mention hashtag" rel="tag">#<span>bins</span></a></p><p>Second&nbsp;line<br/>and more</p>',
      "<h2>Plan</h2><ul><li>one</li><li><strong>two</strong></li></ul><pre><code>if (a &lt; b &amp;&amp; c &gt; d) {}</code></pre>",
      "<table><thead><tr><th align=left>A</th></tr></thead><tbody><tr><td align='right'>1</td></tr></tbody></table>",
      '<P CLASS="x">Upper <A HREF="https://e.example/?a=1&amp;b=2" title="a > b">case</A></P><!-- a comment --><hr>',
      "<p>a < b, c > d, 1 <= 2, x<<y, &lt;tag&gt;, & alone, &copy; 2024</p>",
      "<p>unclosed<p>paragraphs<ul><li>and<li>items" + "<li>more".repeat(80) + "</ul>",
      '<script>alert("x")</script><style>p{}</style><p onclick="x()">safe</p><iframe src="https://e.example"></iframe><a href="javascript:alert(1)">js</a>',
      "<p>line</br>break</p><img src=x onerror=alert(1)><textarea><b>gone</b></textarea>",
    ];
    for (const html of samples) expect(sanitizeRemoteHtml(html), html).toBe(sanitizePostHtml(html));
  });

  it("cuts a document over the size limit before a tag it would split, and says it was cut", () => {
    const filler = "x".repeat(length - 10);
    // The limit falls inside the link's opening tag.
    expect(sanitizeRemoteHtml(`<p>${filler}<a href="https://example.com/a">link</a></p>`)).toBe(`<p>${filler}…</p>`);
    // Nor does it split a character or an entity.
    expect(sanitizeRemoteHtml(`${"x".repeat(length - 1)}😀`)).toBe(`${"x".repeat(length - 1)}…`);
    expect(sanitizeRemoteHtml(`${"x".repeat(length - 3)}&amp;`)).toBe(`${"x".repeat(length - 3)}…`);
  });

  it("keeps a megabyte of paragraphs to the size limit, every element closed", () => {
    const out = sanitizeRemoteHtml("<p>Some words, <em>some emphasis</em>.</p>".repeat(25_000));
    expect(out.length).toBeLessThanOrEqual(length + 10);
    expect(out).toMatch(/…(<\/\w+>)*$/);
    expect(structure(out).balanced).toBe(true);
  });

  it("keeps structure only to the depth limit, and the text below it", () => {
    const b = (n: number) => ({ open: "<b>".repeat(n), close: "</b>".repeat(n) });
    expect(sanitizeRemoteHtml(`${b(4_000).open}deep${b(4_000).close}`)).toBe(`${b(depth).open}deep${b(depth).close}`);
    // 50,000 deep is also past the other limits: cut, and closed.
    expect(sanitizeRemoteHtml(`${b(50_000).open}deep${b(50_000).close}`)).toBe(`${b(depth).open}…${b(depth).close}`);
    // Never closed: closed at the end, at the same depth.
    expect(sanitizeRemoteHtml(`${"<i>".repeat(4_000)}deep`)).toBe(`${"<i>".repeat(depth)}deep${"</i>".repeat(depth)}`);
    // Tags that are not allowed go anyway; their text stays.
    expect(sanitizeRemoteHtml(`${"<div>".repeat(4_000)}deep${"</div>".repeat(4_000)}`)).toBe("deep");
    // What follows the deep part keeps its own structure.
    const quotes = (n: number) => ({ open: "<blockquote>".repeat(n), close: "</blockquote>".repeat(n) });
    expect(sanitizeRemoteHtml(`<p>before</p>${quotes(3_000).open}<p>x</p>${quotes(3_000).close}<p>after</p>`)).toBe(
      `<p>before</p>${quotes(depth).open}x${quotes(depth).close}<p>after</p>`,
    );
  });

  it("cannot be made to see tags where the bounds saw none", () => {
    // A quote in an attribute's name, a comment or a bogus end tag must not hide the tags after it from the depth limit.
    for (const opening of ['<a x"y>', "<!-->", "<!--->", "</ x>", "<a title='>'>", "<p/>"]) {
      const out = sanitizeRemoteHtml(`${opening}${"<b>".repeat(20_000)}x`);
      expect(structure(out).deepest, opening).toBeLessThanOrEqual(depth);
      expect(structure(out).balanced, opening).toBe(true);
    }
  });

  it("reads a long run of '<' as text, only up to the limits", () => {
    const out = sanitizeRemoteHtml("<".repeat(500_000));
    expect(out).toMatch(/^(&lt;)+…$/);
    expect(out.length).toBeLessThanOrEqual(4 * markup + 1);
  });

  it("stops at the markup limit: tags, entities and stray '<' each count", () => {
    const tags = sanitizeRemoteHtml("<i>x</i>".repeat(12_000));
    expect(tags.match(/<i>/g)!.length).toBeLessThanOrEqual(markup / 2);
    expect(tags).toMatch(/…(<\/i>)?$/);
    expect(structure(tags).balanced).toBe(true);
    const entities = sanitizeRemoteHtml("a&amp;".repeat(15_000));
    expect(entities.match(/&amp;/g)!.length).toBeLessThanOrEqual(markup);
  });
});

describe("reading an HTML summary as text", () => {
  it("keeps the text a reader sees, without markup or entities", () => {
    expect(htmlToText("<p>Fish &amp; chips &lt;script&gt; &quot;x&quot; &#39;y&#39;</p>")).toBe(`Fish & chips <script> "x" 'y'`);
    expect(htmlToText("Plain text & <3, as Mastodon sends a content warning")).toBe("Plain text & <3, as Mastodon sends a content warning");
    expect(htmlToText('<p>one</p><p>two<br>three</p><script>alert("x")</script>')).toBe("one two three");
  });
});
