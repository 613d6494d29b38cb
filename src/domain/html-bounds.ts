/**
 * Bounds on HTML from other servers, applied before sanitize-html reads it.
 *
 * sanitize-html's parser (htmlparser2) keeps the open elements in an array
 * that it shifts, so each tag costs time in proportion to how deep it is
 * (50,000 nested tags take seconds); and sanitize-html does work for each
 * run of text, which every '<' or entity in the text splits (500,000 '<'
 * take a third of a second). So, before it runs: the input is cut to a
 * length; tags nested deeper than a limit are dropped, their text kept; and
 * reading stops after a number of tags, attributes, entities and stray '<'.
 *
 * What this passes on is written afresh from what it read (each tag from its
 * name and attributes, a stray '<' as &lt;, no comments), so the parser after
 * it cannot find tags that were not counted here, however the two may differ
 * on odd markup. Everything still goes through the sanitiser: this only
 * bounds its work, and leaves ordinary HTML as the sanitiser would read it.
 */
export const REMOTE_HTML_LIMITS = {
  /** Characters read: a long article is a few tens of thousands. */
  length: 100_000,
  /** Elements open at once; a tag deeper than this is dropped, its text kept. */
  depth: 50,
  /** Tags, attributes, entities and stray '<' read: a long article has a few thousand. */
  markup: 10_000,
};

export type HtmlLimits = typeof REMOTE_HTML_LIMITS;

// Which elements the parser never keeps open, and which it closes when another starts
// (htmlparser2's own tables, so that the depth counted here is never less than its own).
const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]);
const FORM = ["input", "option", "optgroup", "select", "button", "datalist", "textarea"];
const IMPLIED_CLOSES = new Map<string, string[]>([
  ["tr", ["tr", "th", "td"]],
  ["th", ["th"]],
  ["td", ["thead", "th", "td"]],
  ["li", ["li"]],
  ["option", ["option"]],
  ["optgroup", ["optgroup", "option"]],
  ["dd", ["dd", "dt"]],
  ["dt", ["dd", "dt"]],
  ["rt", ["rt", "rp"]],
  ["rp", ["rt", "rp"]],
  ["tbody", ["thead", "tbody"]],
  ["tfoot", ["thead", "tbody"]],
  ...["select", "input", "output", "button", "datalist", "textarea"].map((tag): [string, string[]] => [tag, FORM]),
  ...(
    "p h1 h2 h3 h4 h5 h6 address article aside blockquote details div dl fieldset figcaption figure " +
    "footer form header hr main nav ol pre section table ul"
  )
    .split(" ")
    .map((tag): [string, string[]] => [tag, ["p"]]),
]);
/** Elements whose content the parser reads as text up to their end tag, and the sanitiser drops whole. */
const DROPPED_WHOLE = new Map(["script", "style", "textarea"].map((tag) => [tag, new RegExp(`</${tag}[\\t\\n\\f\\r >]`, "gi")]));
/** sanitize-html's own test of an attribute name. */
const ATTRIBUTE_NAME = /^[^\0\t\n\f\r /<=>]+$/;

const isSpace = (c: string | undefined) => c === " " || c === "\n" || c === "\t" || c === "\r" || c === "\f";
const isLetter = (c: string | undefined) => c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));
/** Where a tag's or an attribute's name ends. */
const endsName = (c: string | undefined) => c === undefined || isSpace(c) || c === "/" || c === ">";
/** The token that skips to the end of a construct found at `at`; null if it was not found. */
const skipTo = (at: number, length: number): Token | null => (at < 0 ? null : { kind: "nothing", end: at + length });

type Token =
  | { kind: "text-lt"; end: number } // a '<' that starts nothing, so is text
  | { kind: "nothing"; end: number } // a comment, a declaration, or an element the sanitiser drops whole
  | { kind: "start"; name: string; attributes: string[]; end: number }
  | { kind: "end"; name: string; end: number };

/** HTML from elsewhere, cut and flattened to the limits, for the sanitiser to read. */
export function boundHtml(html: string, limits: HtmlLimits = REMOTE_HTML_LIMITS): string {
  const input = cut(html, limits.length);
  let complete = input.length === html.length;
  const out: string[] = [];
  const open: string[] = []; // the elements kept open, innermost last
  const tooDeep = new Map<string, number>(); // elements dropped for depth, by name: their end tags go too
  let markup = limits.markup;
  let i = 0;
  reading: while (i < input.length) {
    const lt = input.indexOf("<", i);
    const text = input.slice(i, lt < 0 ? input.length : lt);
    for (let amp = text.indexOf("&"); amp >= 0; amp = text.indexOf("&", amp + 1)) {
      if (--markup < 0) {
        out.push(text.slice(0, amp));
        complete = false;
        break reading;
      }
    }
    out.push(text);
    if (lt < 0) break;
    const token = readToken(input, lt);
    if (!token) break; // a tag or comment never finished: the parser drops it too
    markup -= token.kind === "start" ? 1 + token.attributes.length : 1;
    if (markup < 0) {
      complete = false;
      break;
    }
    i = token.end;
    if (token.kind === "text-lt") out.push("&lt;");
    else if (token.kind === "start") {
      const { name } = token;
      const closes = IMPLIED_CLOSES.get(name);
      let closed = 0;
      while (closes && closed < open.length && closes.includes(open[open.length - 1 - closed]!)) closed++;
      if (!VOID.has(name) && open.length - closed >= limits.depth) {
        tooDeep.set(name, (tooDeep.get(name) ?? 0) + 1);
        continue;
      }
      // The parser closes those itself when it reads this tag.
      open.length -= closed;
      if (!VOID.has(name)) open.push(name);
      out.push(`<${name}${token.attributes.join("")}>`);
    } else if (token.kind === "end") {
      const { name } = token;
      const deep = tooDeep.get(name);
      if (deep) {
        tooDeep.set(name, deep - 1);
        continue;
      }
      const at = open.lastIndexOf(name);
      if (at >= 0) open.length = at;
      // One that closes nothing is the parser's to ignore (or read as <p></p> or <br>, as it does).
      out.push(`</${name}>`);
    }
  }
  // Elements still open are closed by the parser at the end.
  if (!complete) out.push("…");
  return out.join("");
}

/** The first `length` characters, not ending within a character, an entity or just after a '<'. */
function cut(html: string, length: number): string {
  if (html.length <= length) return html;
  const code = html.charCodeAt(length - 1);
  const text = html.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
  const partial = /(?:&[#a-zA-Z0-9]*|<)$/.exec(text.slice(-32));
  return partial ? text.slice(0, text.length - partial[0].length) : text;
}

/** What starts at the '<' at `lt`, read as htmlparser2 reads it; null if it runs past the end. */
function readToken(s: string, lt: number): Token | null {
  const next = s[lt + 1];
  if (isLetter(next)) return readStartTag(s, lt);
  if (next === "/") return readEndTag(s, lt);
  if (s.startsWith("<!--", lt)) return skipTo(s.indexOf("-->", lt + 2), 3); // "<!-->" is a whole comment
  if (s.startsWith("<![CDATA[", lt)) return skipTo(s.indexOf("]]>", lt + 9), 3);
  if (next === "!" || next === "?") return skipTo(s.indexOf(">", lt), 1);
  return { kind: "text-lt", end: lt + 1 };
}

function readEndTag(s: string, lt: number): Token | null {
  let j = lt + 2;
  while (isSpace(s[j])) j++;
  if (s[j] === ">") return { kind: "nothing", end: j + 1 };
  const close = s.indexOf(">", j);
  if (close < 0) return null;
  if (!isLetter(s[j])) return { kind: "nothing", end: close + 1 }; // "</1>" and the like are comments
  let k = j;
  while (k < close && !isSpace(s[k])) k++;
  return { kind: "end", name: s.slice(j, k).toLowerCase(), end: close + 1 };
}

function readStartTag(s: string, lt: number): Token | null {
  let j = lt + 1;
  while (!endsName(s[j])) j++;
  const name = s.slice(lt + 1, j).toLowerCase();
  const attributes: string[] = [];
  for (;;) {
    while (isSpace(s[j]) || s[j] === "/") j++;
    if (j >= s.length) return null;
    if (s[j] === ">") break;
    const start = j++; // an attribute's first character is part of its name, even "="
    while (!endsName(s[j]) && s[j] !== "=") j++;
    const attribute = s.slice(start, j);
    while (isSpace(s[j])) j++;
    let value: string | null = null;
    if (s[j] === "=") {
      j++;
      while (isSpace(s[j])) j++;
      const quote = s[j];
      if (quote === '"' || quote === "'") {
        const close = s.indexOf(quote, j + 1);
        if (close < 0) return null;
        value = s.slice(j + 1, close);
        j = close + 1;
      } else {
        const from = j;
        while (j < s.length && !isSpace(s[j]) && s[j] !== ">") j++;
        value = s.slice(from, j);
      }
    }
    // Written afresh, double-quoted; entities stay as they were, for the parser to decode as before.
    if (ATTRIBUTE_NAME.test(attribute))
      attributes.push(value === null ? ` ${attribute}` : ` ${attribute}="${value.replaceAll('"', "&quot;")}"`);
  }
  const end = j + 1;
  const until = DROPPED_WHOLE.get(name);
  if (!until) return { kind: "start", name, attributes, end };
  until.lastIndex = end;
  const closing = until.exec(s);
  const close = closing ? s.indexOf(">", closing.index) : -1;
  return close < 0 ? null : { kind: "nothing", end: close + 1 };
}
