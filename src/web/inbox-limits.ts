/**
 * Limits on what an inbox accepts, checked before anything parses the body:
 * a body over the size limit is refused with 413 (without reading past the
 * limit), and JSON nested deeper than the depth limit with 400.
 */
export type BodyCheck = { ok: true; body: Uint8Array } | { ok: false; status: 400 | 413; message: string };

export async function readLimitedBody(request: Request, maxBytes: number, maxDepth: number): Promise<BodyCheck> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) return tooLarge(maxBytes);
  const bytes = await readAtMost(request, maxBytes);
  if (bytes === null) return tooLarge(maxBytes);
  // The bytes go on untouched: the signed digest covers them exactly.
  const depth = jsonDepth(new TextDecoder().decode(bytes), maxDepth);
  if (depth > maxDepth) return { ok: false, status: 400, message: `JSON nested deeper than ${maxDepth} levels.` };
  return { ok: true, body: bytes };
}

function tooLarge(maxBytes: number): BodyCheck {
  return { ok: false, status: 413, message: `Body larger than ${maxBytes} bytes.` };
}

/** Reads the body, or returns null as soon as it passes maxBytes. */
async function readAtMost(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * How deeply brackets nest in a JSON text, counting no further than just past
 * the limit. Brackets inside strings do not count.
 */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth > max && (max = depth) > limit) return max;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return max;
}
