import { invalid } from "./errors.ts";

const TAG = /^[\p{L}\p{N}_]{1,50}$/u;

/** Accepts "a, #b c" or a list; returns unique tags without '#', as written. */
export function normaliseTags(input: string | readonly string[]): string[] {
  const parts = typeof input === "string" ? input.split(/[\s,]+/) : input;
  const seen = new Map<string, string>();
  for (const part of parts) {
    const tag = part.trim().replace(/^#/, "");
    if (tag === "") continue;
    if (!TAG.test(tag)) throw invalid(`"${part}" is not a valid tag: use letters, digits and _.`, { tags: "use letters, digits and _" });
    if (!seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
  }
  if (seen.size > 20) throw invalid("A post can have at most 20 tags.", { tags: "at most 20 tags" });
  return [...seen.values()];
}
