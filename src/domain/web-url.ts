/**
 * The first of these addresses that is a web address (http or https), as
 * given, or null. Addresses from other servers end up in href and src
 * attributes, where javascript:, vbscript: or data: would run script and a
 * relative path would point into this site; so only web addresses pass.
 */
export function webUrl(...candidates: (string | null | undefined)[]): string | null {
  for (const candidate of candidates) if (candidate && isWebAddress(candidate)) return candidate;
  return null;
}

/** How many addresses' answers are kept: a thread's page asks about the same few hundred on every request. */
const KEPT = 10_000;
const MAX_KEPT_LENGTH = 2_048;
const answers = new Map<string, boolean>();

/** Whether an address parses as an http or https URL; parsing is costly, and the answer for a string never changes. */
function isWebAddress(address: string): boolean {
  let answer = answers.get(address);
  if (answer === undefined) {
    const protocol = URL.parse(address)?.protocol;
    answer = protocol === "http:" || protocol === "https:";
    // Addresses come from other servers too: a long one is not worth the memory it would hold.
    if (address.length > MAX_KEPT_LENGTH) return answer;
    if (answers.size >= KEPT) answers.clear();
    answers.set(address, answer);
  }
  return answer;
}
