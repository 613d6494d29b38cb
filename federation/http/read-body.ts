import { readAtMost } from "../../src/domain/bounded-read.ts";

/** Reads a response body as text, or returns null (and stops reading) once it passes maxBytes. */
export async function readBodyAtMost(response: Response, maxBytes: number): Promise<string | null> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    return null;
  }
  const bytes = await readAtMost(response.body, maxBytes);
  return bytes === null ? null : new TextDecoder().decode(bytes);
}
