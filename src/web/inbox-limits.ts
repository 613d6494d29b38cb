import { readAtMost } from "../domain/bounded-read.ts";

/**
 * Limits on what an inbox accepts, checked before anything parses the body:
 * a body over the size limit is refused with 413 (without reading past the
 * limit); JSON nested deeper than the depth limit, or with an array or object
 * holding more than the item limit, with 400. A scan of the text costs a few
 * milliseconds; parsing a body of 200,000 empty tags as JSON-LD costs seconds.
 */
export interface InboxLimits {
  maxBytes: number;
  maxDepth: number;
  /** Elements of one array, or keys of one object. */
  maxItems: number;
}

/** Inbox paths: the shared inbox and each actor's; their bodies are held to these limits, not a form's. */
export function isInboxPath(path: string): boolean {
  return path === "/inbox" || path.endsWith("/inbox");
}

export type BodyCheck = { ok: true; body: Uint8Array } | { ok: false; status: 400 | 413; message: string };

export async function readLimitedBody(request: Request, limits: InboxLimits): Promise<BodyCheck> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > limits.maxBytes) return tooLarge(limits.maxBytes);
  const bytes = await readAtMost(request.body, limits.maxBytes);
  if (bytes === null) return tooLarge(limits.maxBytes);
  // The bytes go on untouched: the signed digest covers them exactly.
  const problem = jsonShapeProblem(new TextDecoder().decode(bytes), limits);
  if (problem) return { ok: false, status: 400, message: problem };
  return { ok: true, body: bytes };
}

function tooLarge(maxBytes: number): BodyCheck {
  return { ok: false, status: 413, message: `Body larger than ${maxBytes} bytes.` };
}

/**
 * What breaks the limits in a JSON text, if anything: brackets nested deeper
 * than maxDepth, or a container with more than maxItems members (counted by
 * the commas between them). Brackets and commas inside strings do not count.
 * Stops at the first problem.
 */
export function jsonShapeProblem(text: string, limits: Pick<InboxLimits, "maxDepth" | "maxItems">): string | null {
  // Separators seen in each open container, innermost last.
  const commas: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      commas.push(0);
      if (commas.length > limits.maxDepth) return `JSON nested deeper than ${limits.maxDepth} levels.`;
    } else if (c === 125 /* } */ || c === 93 /* ] */) commas.pop();
    else if (c === 44 /* , */ && commas.length > 0) {
      const separators = ++commas[commas.length - 1]!;
      if (separators >= limits.maxItems) return `A JSON array or object with more than ${limits.maxItems} items.`;
    }
  }
  return null;
}
