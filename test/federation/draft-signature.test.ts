import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { fetchKey, MemoryKvStore, verifyRequest, type DocumentLoader } from "@fedify/fedify";
import { CryptographicKey } from "@fedify/vocab";
import { preloadedContexts } from "@fedify/vocab-runtime";
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkDraftSignature } from "../../federation/draft-signature.ts";
import { createSignatureScreen, signatureKeyId } from "../../federation/signature-screen.ts";
import { signPost, type SignOptions } from "../helpers/fake-mastodon.ts";

const INBOX = "https://connexo.example/inbox";
const ACTOR = "https://mastodon.example/users/mira";
const KEY_ID = `${ACTOR}#main-key`;

const rsa = (publicExponent = 65_537) => generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent });
const mira = rsa();
const other = rsa();

/**
 * Serves the actor whose key signs, at its key's id as Mastodon does (the
 * key Fedify's check and ours both read), and the contexts Fedify knows, all
 * offline.
 */
function keyServer(publicKey: KeyObject): DocumentLoader {
  const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
  return async (url) => {
    if (Object.hasOwn(preloadedContexts, url)) return { contextUrl: null, documentUrl: url, document: preloadedContexts[url] };
    if (url !== KEY_ID && url !== ACTOR) throw new Error(`Nothing at ${url}`);
    const document = {
      "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
      id: ACTOR,
      type: "Person",
      inbox: `${ACTOR}/inbox`,
      publicKey: { id: KEY_ID, owner: ACTOR, publicKeyPem: pem },
    };
    return { contextUrl: null, documentUrl: ACTOR, document };
  };
}

interface Signed {
  url?: string;
  body?: string;
  privateKey?: KeyObject;
  sign?: SignOptions;
  /** Changes the body after signing. */
  tamper?: (body: string) => string;
  headers?: Record<string, string>;
}

/** A POST signed as Mastodon signs, with the bytes it carries. */
function signedPost({ url = INBOX, body = '{"type":"Create"}', privateKey = mira.privateKey, sign, tamper, headers = {} }: Signed) {
  const signed = signPost(url, body, KEY_ID, privateKey, sign);
  const sent = new TextEncoder().encode(tamper ? tamper(body) : body);
  return { request: new Request(url, { method: "POST", headers: { ...signed, ...headers }, body: sent }), body: sent };
}

async function bothChecks(post: ReturnType<typeof signedPost>, publicKey = mira.publicKey) {
  const documentLoader = keyServer(publicKey);
  const { key } = await fetchKey(KEY_ID, CryptographicKey, { documentLoader, contextLoader: documentLoader });
  const ours = checkDraftSignature(post.request, post.body, key!.publicKey, Date.now());
  const fedify = (await verifyRequest(post.request, { documentLoader, contextLoader: documentLoader })) !== null;
  return { ours, fedify };
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

describe("a draft-cavage signature checked at once", () => {
  it("verifies what Mastodon signs, as Fedify does", async () => {
    expect(await bothChecks(signedPost({}))).toEqual({ ours: "verified", fedify: true });
    expect(await bothChecks(signedPost({ sign: { date: hoursAgo(0.5) } }))).toEqual({ ours: "verified", fedify: true });
    expect(await bothChecks(signedPost({ sign: { algorithm: "hs2019" } }))).toEqual({ ours: "verified", fedify: true });
  });

  it("verifies nothing that Fedify refuses", async () => {
    const refused: Record<string, ReturnType<typeof signedPost>> = {
      "a body changed after signing": signedPost({ tamper: (body) => body.replace("Create", "Delete") }),
      "another key's signature": signedPost({ privateKey: other.privateKey }),
      "a date two hours old": signedPost({ sign: { date: hoursAgo(2) } }),
      "a date two hours ahead": signedPost({ sign: { date: hoursAgo(-2) } }),
      "a signature leaving out the digest": signedPost({ sign: { headers: ["(request-target)", "host", "date"] } }),
      "a target with a query, which Fedify signs without": signedPost({ url: `${INBOX}?page=1` }),
      "a digest of another algorithm": signedPost({ headers: { digest: "SHA-512=AAAA" } }),
    };
    for (const [what, post] of Object.entries(refused)) {
      expect(await bothChecks(post), what).toEqual({ ours: "unsure", fedify: false });
    }
  });

  it("leaves to Fedify what it does not read exactly as Fedify does", async () => {
    const unread: Record<string, ReturnType<typeof signedPost>> = {
      "header names in capitals": signedPost({ sign: { headers: ["(request-target)", "Host", "Date", "Digest"] } }),
      "an RFC 9421 signature beside it": signedPost({ headers: { "signature-input": 'sig1=("@method");keyid="x"' } }),
      "two digests": signedPost({ headers: { digest: `SHA-256=${"A".repeat(43)}=,SHA-512=AAAA` } }),
    };
    for (const [what, post] of Object.entries(unread)) expect((await bothChecks(post)).ours, what).toBe("unsure");
  });

  it("leaves keys with a large public exponent to Fedify's check, off this thread", async () => {
    const unusual = rsa(65_539);
    const post = signedPost({ privateKey: unusual.privateKey });
    expect(await bothChecks(post, unusual.publicKey)).toEqual({ ours: "unsure", fedify: true });
  });
});

describe("the inbox's signature screen", () => {
  afterEach(() => vi.restoreAllMocks());

  const screen = () =>
    createSignatureScreen({ kv: new MemoryKvStore(), documentLoader: keyServer(mira.publicKey), contextLoader: keyServer(mira.publicKey) });

  it("takes a Mastodon signature without handing it to WebCrypto", async () => {
    const verify = vi.spyOn(crypto.subtle, "verify");
    const { request, body } = signedPost({});
    expect(await screen()(request, body)).toEqual({ refusal: null, signer: ACTOR });
    expect(verify).not.toHaveBeenCalled();
  });

  it("blocks and counts by the key a signature is verified with: the last one it names, as Fedify reads it", () => {
    const { request } = signedPost({});
    const signature = `keyId="https://elsewhere.example/users/x#main-key",${request.headers.get("signature")}`;
    const twoKeys = new Request(request.url, { method: "POST", headers: { ...Object.fromEntries(request.headers), signature } });
    expect(signatureKeyId(twoKeys)?.href).toBe(KEY_ID);
  });

  it("still refuses, through Fedify's check, a signature that does not verify", async () => {
    const verify = vi.spyOn(crypto.subtle, "verify");
    const { request, body } = signedPost({ privateKey: other.privateKey });
    expect((await screen()(request, body)).refusal?.status).toBe(401);
    expect(verify).toHaveBeenCalled();
  });
});
