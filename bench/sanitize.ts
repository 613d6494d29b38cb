/**
 * Sanitising benchmark: milliseconds to sanitise HTML from another server,
 * for ordinary posts and for inputs built to be slow, without the bounds
 * (sanitize-html alone, as before) and with them (what replies and followed
 * posts now go through).
 *
 *   npm run bench:sanitize
 *   BENCH_RUNS=9 npm run bench:sanitize
 *
 * Each figure is the median of BENCH_RUNS runs (default 5), after one
 * warm-up run of each input.
 */
import { boundHtml, REMOTE_HTML_LIMITS } from "../src/domain/html-bounds.ts";
import { sanitizePostHtml, sanitizeRemoteHtml } from "../src/domain/sanitize.ts";
import { printTable } from "./lib.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const post =
  '<p>Thanks <span class="h-card"><a href="https://m.example/@zoe" class="u-url mention">@<span>zoe</span></a></span>, ' +
  'we opened the consultation on <a href="https://m.example/tags/bins" class="mention hashtag" rel="tag">#<span>bins</span></a> ' +
  "today &amp; had 400 responses.</p><p>What went well:</p><ul><li>the accessible version</li><li>the <strong>councils</strong></li></ul>";

const inputs: [string, string][] = [
  ["normal post", post],
  ["long article", post.repeat(200)],
  ["50k nested <b>", `${"<b>".repeat(50_000)}deep${"</b>".repeat(50_000)}`],
  ["50k nested <div>", `${"<div>".repeat(50_000)}deep${"</div>".repeat(50_000)}`],
  ["500k '<'", "<".repeat(500_000)],
  ["200k '&amp;'", "&amp;".repeat(200_000)],
  ["1 MB text", "word ".repeat(200_000)],
  ["1 MB paragraphs", "<p>Some words, <em>some emphasis</em>.</p>".repeat(25_000)],
];

function median(f: () => unknown): number {
  f();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    f();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(0));
const kb = (chars: number) => `${(chars / 1000).toFixed(chars < 10_000 ? 1 : 0)}k`;

const rows = inputs.map(([name, html]) => [
  name,
  kb(html.length),
  ms(median(() => sanitizePostHtml(html))),
  ms(median(() => sanitizeRemoteHtml(html))),
  ms(median(() => boundHtml(html))),
  kb(sanitizeRemoteHtml(html).length),
]);

const { length, depth, markup } = REMOTE_HTML_LIMITS;
printTable(
  `Sanitising remote HTML, median of ${RUNS} runs (bounds: ${length.toLocaleString("en")} characters, depth ${depth}, ${markup.toLocaleString("en")} tags, attributes, entities and stray '<')`,
  ["input", "chars", "unbounded ms", "bounded ms", "of which bounding ms", "output chars"],
  rows,
);
