import { createHash, KeyObject, timingSafeEqual, verify } from "node:crypto";

/** How far a request's Date may be from now, either way: Fedify's default, which its check applies too. */
const TIME_WINDOW_MS = 60 * 60_000;
/** RSA keys up to this size, with an exponent up to 65,537, are checked here: each check costs well under a millisecond. */
const MAX_MODULUS_BITS = 4096;
const MAX_PUBLIC_EXPONENT = 65_537n;

/**
 * What a quick check made of a request's draft-cavage signature: verified,
 * or left to Fedify's full check. It never refuses: anything it does not
 * verify (a mismatch, a stale date, a signature shape it does not read) goes
 * to `verifyRequest`, which refuses what deserves it, and fetches a key anew
 * when a held one no longer verifies.
 */
export type DraftCheck = "verified" | "unsure";

/**
 * Checks an inbox POST's draft-cavage `rsa-sha256` signature (as Mastodon
 * signs) on this thread, with a key already at hand: the body's SHA-256
 * digest, the date within an hour, and the RSA signature over the signed
 * headers, built as Fedify builds them. Fedify's own check does the same work
 * asynchronously: it copies the request to read its body again, and hands the
 * digest and the signature to WebCrypto's thread pool, and those hand-offs
 * cost the inbox more processor time than the hashing and the RSA arithmetic
 * themselves. Only what this reads exactly as Fedify does is verified here;
 * the rest is left to Fedify.
 */
export function checkDraftSignature(request: Request, body: Uint8Array, publicKey: CryptoKey, now: number): DraftCheck {
  if (request.headers.has("signature-input")) return "unsure";
  const header = request.headers.get("signature");
  const key = quickKey(publicKey);
  if (!header || !key) return "unsure";
  const params = draftSignatureParams(header);
  const { headers, signature } = params;
  if (!headers || !signature || "created" in params || "expires" in params) return "unsure";
  const names = headers.split(/\s+/);
  // Only what every signature of an inbox POST must cover, named as Fedify expects the names.
  if (!["(request-target)", "host", "date", "digest"].every((name) => names.includes(name))) return "unsure";
  if (names.some((name) => name !== name.toLowerCase() || (name.startsWith("(") && name !== "(request-target)"))) return "unsure";
  if (!digestMatches(request.headers.get("digest"), body)) return "unsure";
  const date = Date.parse(request.headers.get("date") ?? "");
  if (!Number.isFinite(date) || Math.abs(date - now) > TIME_WINDOW_MS) return "unsure";
  const url = new URL(request.url);
  const signed = names
    .map((name) =>
      name === "(request-target)"
        ? `${name}: ${request.method.toLowerCase()} ${url.pathname}`
        : `${name}: ${name === "host" ? (request.headers.get("host") ?? url.host) : request.headers.get(name)}`,
    )
    .join("\n");
  return verify("sha256", Buffer.from(signed), key, Buffer.from(signature, "base64")) ? "verified" : "unsure";
}

/**
 * The parameters of a draft-cavage Signature header, read as Fedify reads
 * them: pairs split at commas, each a name and a quoted text or a number;
 * a pair of another shape is skipped, and a later pair wins over an earlier
 * one of the same name.
 */
export function draftSignatureParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of header.split(",")) {
    const match = /^\s*([A-Za-z]+)=(?:"([^"]*)"|(\d+))\s*$/.exec(pair);
    if (match) params[match[1]!] = match[2] ?? match[3]!;
  }
  return params;
}

/** Whether the Digest header is one SHA-256 digest, of exactly these bytes. */
function digestMatches(header: string | null, body: Uint8Array): boolean {
  const match = header ? /^\s*sha-256=([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header) : null;
  if (!match) return false;
  const expected = Buffer.from(match[1]!, "base64");
  const actual = createHash("sha256").update(body).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

const quickKeys = new WeakMap<CryptoKey, KeyObject | null>();

/** The key as node:crypto takes it, if it is an RSA key for SHA-256 small enough to check here. */
function quickKey(publicKey: CryptoKey): KeyObject | null {
  let key = quickKeys.get(publicKey);
  if (key === undefined) {
    // WebCrypto describes the key already: asking node:crypto's KeyObject for its details costs ten times more.
    const algorithm = publicKey.algorithm as RsaHashedKeyAlgorithm;
    const rsa = algorithm.name === "RSASSA-PKCS1-v1_5" && algorithm.hash?.name === "SHA-256";
    const small = rsa && algorithm.modulusLength <= MAX_MODULUS_BITS && exponentOf(algorithm.publicExponent) <= MAX_PUBLIC_EXPONENT;
    key = small ? KeyObject.from(publicKey) : null;
    quickKeys.set(publicKey, key);
  }
  return key;
}

/** A public exponent as WebCrypto gives it: big-endian bytes. */
function exponentOf(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}
