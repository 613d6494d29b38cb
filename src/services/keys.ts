import type { ActorKeyRecord } from "../domain/types.ts";

/** A fresh RSA-2048 key (HTTP signatures) and Ed25519 key (object integrity proofs), as JWKs. */
export async function generateActorKeys(): Promise<ActorKeyRecord[]> {
  const rsa = await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  );
  const ed = (await crypto.subtle.generateKey("Ed25519", true, ["sign", "verify"])) as CryptoKeyPair;
  const exportPair = async (pair: CryptoKeyPair) => ({
    privateJwk: await crypto.subtle.exportKey("jwk", pair.privateKey),
    publicJwk: await crypto.subtle.exportKey("jwk", pair.publicKey),
  });
  return [
    { algorithm: "RSASSA-PKCS1-v1_5", ...(await exportPair(rsa)) },
    { algorithm: "Ed25519", ...(await exportPair(ed)) },
  ];
}
