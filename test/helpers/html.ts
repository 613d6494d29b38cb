import { type HTMLElement, type Node, NodeType, parse } from "node-html-parser";

/**
 * A rendered page, parsed, for assertions about what a reader sees: the
 * element a selector finds and its text, not the markup's exact spelling.
 * Text is as shown: entities decoded, whitespace collapsed, trimmed, and
 * elements that start a new box (paragraphs, list items, cells) apart.
 *
 *     const p = page(html);
 *     expect(p.text("h1")).toBe("The team");
 *     expect(p.attr("a.tag", "href")).toBe("/tags/openwork");
 *     expect(p.texts("#members li")).toEqual(["alice Example Administrator"]);
 *     expect(p.text()).toContain("Its author deleted this post.");
 */
export interface Page {
  /** The element the selector finds first; fails when none matches. */
  one(selector: string): HTMLElement;
  /** Every element the selector finds, in document order. */
  all(selector: string): HTMLElement[];
  count(selector: string): number;
  /** The text of the first element the selector finds (fails when none matches); without one, the text of the whole body. */
  text(selector?: string): string;
  /** The text of every element the selector finds. */
  texts(selector: string): string[];
  /** An attribute of the first element the selector finds (null when it has none); fails when none matches. */
  attr(selector: string, name: string): string | null;
  /** That attribute of every element the selector finds. */
  attrs(selector: string, name: string): (string | null)[];
  /** What a form field holds: a textarea's text, a select's chosen option, an input's value. */
  value(selector: string): string;
  /**
   * The same questions, asked inside the first element the selector finds
   * (with `containing`, the first whose text contains it, such as a table's
   * row for one person); fails when none matches.
   */
  within(selector: string, containing?: string): Page;
}

export function page(html: string): Page {
  return scope(parse(html, { comment: false }));
}

function scope(root: HTMLElement): Page {
  const one = (selector: string) => {
    const element = root.querySelector(selector);
    if (!element) throw new Error(`No element matches ${JSON.stringify(selector)} in:\n${visibleText(root).slice(0, 2_000)}`);
    return element;
  };
  const all = (selector: string) => root.querySelectorAll(selector);
  return {
    one,
    all,
    count: (selector) => all(selector).length,
    text: (selector) => visibleText(selector === undefined ? (root.querySelector("body") ?? root) : one(selector)),
    texts: (selector) => all(selector).map(visibleText),
    attr: (selector, name) => one(selector).getAttribute(name) ?? null,
    attrs: (selector, name) => all(selector).map((element) => element.getAttribute(name) ?? null),
    value: (selector) => fieldValue(one(selector)),
    within: (selector, containing) => {
      if (containing === undefined) return scope(one(selector));
      const element = all(selector).find((candidate) => visibleText(candidate).includes(containing));
      if (!element) throw new Error(`No ${JSON.stringify(selector)} contains ${JSON.stringify(containing)}`);
      return scope(element);
    },
  };
}

/** Elements that run on within a line; any other element's text is set apart from its neighbours'. */
const INLINE = new Set(
  "a abbr b bdi bdo cite code data dfn em i kbd label mark q s samp small span strong sub sup time u var wbr".split(" "),
);
const HIDDEN = new Set(["script", "style", "template", "head"]);

/** An element's text as a reader sees it (what is inside scripts, styles and the head left out, unless asked for). */
export function visibleText(element: HTMLElement): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === NodeType.TEXT_NODE) {
      parts.push(node.text);
      return;
    }
    if (node.nodeType !== NodeType.ELEMENT_NODE) return;
    const tag = (node as HTMLElement).tagName?.toLowerCase() ?? "";
    if (HIDDEN.has(tag) && node !== element) return;
    const apart = tag !== "" && !INLINE.has(tag);
    if (apart) parts.push(" ");
    for (const child of node.childNodes) walk(child);
    if (apart) parts.push(" ");
  };
  walk(element);
  return parts.join("").replace(/\s+/g, " ").trim();
}

/** What a form field holds: a textarea's text, a select's chosen option, an input's value. */
export function fieldValue(field: HTMLElement): string {
  switch (field.tagName.toLowerCase()) {
    case "textarea":
      // A textarea's first newline belongs to the markup, not to its value.
      return field.text.replace(/^\r?\n/, "");
    case "select": {
      const chosen = field.querySelector("option[selected]") ?? field.querySelector("option");
      return chosen ? (chosen.getAttribute("value") ?? chosen.text) : "";
    }
    default:
      return field.getAttribute("value") ?? "";
  }
}
