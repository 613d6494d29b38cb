/**
 * The first of these addresses that is a web address (http or https), as
 * given, or null. Addresses from other servers end up in href and src
 * attributes, where javascript:, vbscript: or data: would run script and a
 * relative path would point into this site; so only web addresses pass.
 */
export function webUrl(...candidates: (string | null | undefined)[]): string | null {
  for (const candidate of candidates) {
    if (!candidate || !URL.canParse(candidate)) continue;
    const { protocol } = new URL(candidate);
    if (protocol === "http:" || protocol === "https:") return candidate;
  }
  return null;
}
