import { fetchKey, verifyRequest, type DocumentLoader, type KeyCache, type KvStore } from "@fedify/fedify";
import { CryptographicKey, Multikey } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { getLogger } from "@logtape/logtape";
import { checkDraftSignature, draftSignatureParams } from "./draft-signature.ts";

const logger = getLogger(["connexo", "inbox"]);

/** What an inbox POST's signature must cover, and the algorithm labels we know. */
const DRAFT_REQUIRED = ["(request-target)", "host", "date", "digest"];
const DRAFT_ALGORITHMS = new Set(["rsa-sha256", "hs2019"]);
const RFC9421_ALGORITHMS = new Set(["rsa-v1_5-sha256", "rsa-pss-sha512", "ecdsa-p256-sha256", "ecdsa-p384-sha384", "ed25519"]);

/** Fedify keeps verified keys under this prefix; sharing it means Fedify finds the keys we fetched. */
const KEY_PREFIX = ["_fedify", "publicKey"] as const;
const UNAVAILABLE_KEY_TTL = Temporal.Duration.from({ minutes: 10 });

export interface SignatureScreenOptions {
  kv: KvStore;
  documentLoader: DocumentLoader;
  contextLoader: DocumentLoader;
  /** Whether what is signed with this key is refused outright (its domain is blocked); asked before the key is fetched. */
  refusesKey?: (keyId: string) => Promise<boolean>;
  /** The time, in epoch milliseconds, that a request's Date is held to. */
  now?: () => number;
}

/** Why an inbox request is refused: 401 for a signature that does not do, 403 for a sender the instance blocks. */
export interface ScreenRefusal {
  status: 401 | 403;
  message: string;
}

/** What the screen made of an inbox request: refused, or signed with a key of `signer` (null when the key names no owner). */
export type ScreenResult = { refusal: ScreenRefusal } | { refusal: null; signer: string | null };

/**
 * Checks an inbox request's HTTP signature before anything reads its body as
 * JSON-LD: Fedify would otherwise expand the body (and fetch the remote
 * contexts it names) while looking for other proofs, whoever sent it. Returns
 * why the request is refused, or, when its signature verifies, whose key
 * signed it. Linked Data
 * signatures alone are not enough: every server we federate with signs its
 * requests.
 */
export function createSignatureScreen(options: SignatureScreenOptions): (request: Request, body: Uint8Array) => Promise<ScreenResult> {
  const keyCache = new SharedKeyCache(options.kv);
  const { documentLoader, contextLoader, now = Date.now } = options;
  const unsigned = (message: string): ScreenResult => ({ refusal: { status: 401, message } });
  /** The key of a Mastodon-style signature that verifies at once (`checkDraftSignature`); null leaves it to Fedify's check. */
  const verifiedAtOnce = async (request: Request, body: Uint8Array) => {
    const keyId = draftKeyId(request);
    if (!keyId) return null;
    const { key } = await fetchKey(keyId, CryptographicKey, { documentLoader, contextLoader, keyCache });
    return key && checkDraftSignature(request, body, key.publicKey, now()) === "verified" ? key : null;
  };
  return async (request: Request, body: Uint8Array): Promise<ScreenResult> => {
    const problem = signatureShapeProblem(request);
    if (problem) return unsigned(problem);
    // A blocked sender is turned away on its key's address alone: its server is not asked for anything.
    if (options.refusesKey) {
      const keyId = signatureKeyId(request);
      if (!keyId) return unsigned("The signature names no key.");
      if (await options.refusesKey(keyId.href)) {
        return { refusal: { status: 403, message: "This instance does not accept activities from there." } };
      }
    }
    try {
      const key = (await verifiedAtOnce(request, body)) ?? (await verifyRequest(request, { documentLoader, contextLoader, keyCache }));
      if (!key) return unsigned("The request's signature does not verify.");
      // A key document says whose it is; a server may only speak for its own actors.
      const owner = key.ownerId;
      if (owner && key.id && owner.origin !== key.id.origin) return unsigned("The signing key claims an owner on another server.");
      return { refusal: null, signer: owner?.href ?? null };
    } catch (error) {
      logger.info("Could not check a signature: {error}", { error });
      return unsigned("The request's signature could not be checked.");
    }
  };
}

/**
 * What is wrong with a request's signature headers before any key is fetched:
 * none at all, an algorithm label we do not know, or a signature that leaves
 * out the host, date, body digest or request target.
 */
export function signatureShapeProblem(request: Request): string | null {
  const post = request.method === "POST";
  const input = request.headers.get("signature-input");
  if (input) return rfc9421Problem(input, post);
  const signature = request.headers.get("signature");
  if (!signature) return "The request is not signed.";
  // Read as Fedify reads it, as the key id is: what is judged here is what gets verified.
  const params = draftSignatureParams(signature);
  if (params.algorithm !== undefined && !DRAFT_ALGORITHMS.has(params.algorithm.toLowerCase())) {
    return `Unknown signature algorithm ${params.algorithm}.`;
  }
  const covered = (params.headers ?? "date").toLowerCase().split(/\s+/);
  const missing = DRAFT_REQUIRED.filter((name) => (name !== "digest" || post) && !covered.includes(name));
  return missing.length > 0 ? `The signature does not cover ${missing.join(", ")}.` : null;
}

/**
 * The key id a request's signature names, read from its headers alone
 * (nothing is fetched or verified): who claims to have signed it, and on what
 * host. Null when it names none, or no http(s) URL.
 */
export function signatureKeyId(request: Request): URL | null {
  const input = request.headers.get("signature-input");
  return input ? httpUrl(/;\s*keyid="([^"]*)"/i.exec(input)?.[1]) : draftKeyId(request);
}

/** The key id of a draft-cavage signature, read as Fedify reads it (the last `keyId` given), so that the key blocked or counted is the one verified. */
function draftKeyId(request: Request): URL | null {
  const signature = request.headers.get("signature");
  return signature && !request.headers.has("signature-input") ? httpUrl(draftSignatureParams(signature).keyId) : null;
}

function httpUrl(text: string | undefined): URL | null {
  if (!text || !URL.canParse(text)) return null;
  const url = new URL(text);
  return url.protocol === "https:" || url.protocol === "http:" ? url : null;
}

function rfc9421Problem(input: string, post: boolean): string | null {
  for (const member of input.split(/,(?=\s*[a-zA-Z0-9_*-]+=\()/)) {
    const components = [...(/\(([^)]*)\)/.exec(member)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]!.toLowerCase());
    const alg = /;\s*alg="([^"]*)"/.exec(member)?.[1];
    if (alg !== undefined && !RFC9421_ALGORITHMS.has(alg)) return `Unknown signature algorithm ${alg}.`;
    const target = components.includes("@target-uri") || (components.includes("@authority") && components.includes("@path"));
    if (!components.includes("@method") || !target || (post && !components.includes("content-digest"))) {
      return "The signature does not cover the method, target and body digest.";
    }
  }
  return null;
}

/**
 * Fedify's key cache, stored the way Fedify stores it, so that both read the
 * same keys; the keys last used are also held in memory, parsed and imported,
 * since reading one back from its JSON-LD costs more than checking a
 * signature with it. A key its owner has replaced is no trouble: the
 * signature fails with the one held, Fedify fetches the new one and sets it
 * here.
 */
export class SharedKeyCache implements KeyCache {
  readonly #held = new Map<string, CryptographicKey | Multikey>();

  constructor(
    private readonly kv: KvStore,
    private readonly holds = 2_000,
  ) {}

  async get(keyId: URL): Promise<CryptographicKey | Multikey | null | undefined> {
    const held = this.#held.get(keyId.href);
    if (held) {
      this.#hold(keyId.href, held);
      return held;
    }
    const stored = await this.kv.get([...KEY_PREFIX, keyId.href]);
    if (stored === undefined || stored === null) return stored;
    const key = await parseKey(stored);
    if (key) this.#hold(keyId.href, key);
    return key;
  }

  async set(keyId: URL, key: CryptographicKey | Multikey | null): Promise<void> {
    this.#held.delete(keyId.href);
    if (key === null) await this.kv.set([...KEY_PREFIX, keyId.href], null, { ttl: UNAVAILABLE_KEY_TTL });
    else {
      await this.kv.set([...KEY_PREFIX, keyId.href], await key.toJsonLd());
      this.#hold(keyId.href, key);
    }
  }

  /** Most recently used last (a Map keeps insertion order); the least recently used makes room. */
  #hold(keyId: string, key: CryptographicKey | Multikey) {
    this.#held.delete(keyId);
    if (this.#held.size >= this.holds) this.#held.delete(this.#held.keys().next().value!);
    this.#held.set(keyId, key);
  }
}

async function parseKey(stored: unknown): Promise<CryptographicKey | Multikey | undefined> {
  try {
    return await CryptographicKey.fromJsonLd(stored);
  } catch {
    try {
      return await Multikey.fromJsonLd(stored);
    } catch {
      return undefined;
    }
  }
}
