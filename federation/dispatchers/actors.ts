import type { FederationBuilder } from "@fedify/fedify";
import { normaliseHandle } from "../../src/domain/handle.ts";
import { actorPath } from "../../src/domain/urls.ts";
import type { ContextData } from "../context.ts";
import { toApActor } from "../vocab/actor.ts";

export const ACTOR_PATH = actorPath("{identifier}");

/** Local actors: their documents, keys, and how @handle@host maps to them. Identifiers are handles. */
export function registerActors(builder: FederationBuilder<ContextData>): void {
  const imported = new Map<string, Promise<CryptoKeyPair[]>>();
  builder
    .setActorDispatcher(ACTOR_PATH, async (ctx, identifier) => {
      const actor = await ctx.data.services.publications.servedActor(identifier);
      return actor ? toApActor(ctx, actor) : null;
    })
    .setKeyPairsDispatcher((ctx, identifier) => {
      // Importing keys costs more than signing with them, and keys never change: import each actor's once.
      let pairs = imported.get(identifier);
      if (!pairs) {
        pairs = loadKeyPairs(ctx.data, identifier);
        imported.set(identifier, pairs);
        pairs.then(
          (p) => p.length === 0 && imported.delete(identifier),
          () => imported.delete(identifier),
        );
      }
      return pairs;
    })
    .mapHandle(async (ctx, username) => {
      const actor = await ctx.data.services.publications.servedActor(normaliseHandle(username));
      return actor ? actor.handle : null;
    });
}

async function loadKeyPairs(data: ContextData, identifier: string): Promise<CryptoKeyPair[]> {
  const keys = await data.services.publications.signingKeys(identifier);
  // RSA first: Fedify signs HTTP requests with the first RSA key and proofs with Ed25519.
  keys.sort((a, b) => (a.algorithm === b.algorithm ? 0 : a.algorithm === "Ed25519" ? 1 : -1));
  return Promise.all(keys.map((key) => importPair(key.algorithm, key.privateJwk, key.publicJwk)));
}

async function importPair(algorithm: string, privateJwk: JsonWebKey, publicJwk: JsonWebKey): Promise<CryptoKeyPair> {
  const params = algorithm === "Ed25519" ? "Ed25519" : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  return {
    privateKey: await crypto.subtle.importKey("jwk", privateJwk, params, true, ["sign"]),
    publicKey: await crypto.subtle.importKey("jwk", publicJwk, params, true, ["verify"]),
  };
}
