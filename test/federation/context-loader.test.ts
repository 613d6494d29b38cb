// The contexts built into Fedify reach the JSON-LD processor tagged as never
// changing, so that it processes each once, not once per activity.
import type { DocumentLoader } from "@fedify/fedify";
import { preloadedContexts } from "@fedify/vocab-runtime";
import jsonld from "jsonld/dist/jsonld.esm.js";
import { describe, expect, it } from "vitest";
import { staticBuiltInContexts } from "../../federation/http/document-loader.ts";

const AS = "https://www.w3.org/ns/activitystreams";
const SECURITY = "https://w3id.org/security/v1";

/** A loader that answers built-in contexts from Fedify's copies and anything else with a small context, counting each URL asked for. */
function countingLoader() {
  const asked = new Map<string, number>();
  const loader: DocumentLoader = async (url) => {
    asked.set(url, (asked.get(url) ?? 0) + 1);
    const document = Object.hasOwn(preloadedContexts, url)
      ? preloadedContexts[url]
      : { "@context": { local: "https://other.example/ns#local" } };
    return { contextUrl: null, document, documentUrl: url };
  };
  return { asked, loader };
}

describe("the context loader", () => {
  it("tags the built-in contexts static, and nothing else", async () => {
    const { loader } = countingLoader();
    const tagged = staticBuiltInContexts(loader);
    expect(await tagged(AS)).toMatchObject({ documentUrl: AS, tag: "static" });
    expect(await tagged("https://other.example/context.json")).not.toHaveProperty("tag");
  });

  it("lets the JSON-LD processor load and process a built-in context once for many documents, and reads them all alike", async () => {
    const { asked, loader } = countingLoader();
    const documentLoader = staticBuiltInContexts(loader);
    const other = "https://other.example/context.json";
    const expanded = [];
    // The processor's cache is the whole process's: a test before this one may have loaded the context already.
    let askedAfterFirst = 0;
    for (let i = 0; i < 3; i++) {
      const activity = {
        "@context": [SECURITY, other],
        id: `https://remote.example/follows/${i}`,
        type: "https://www.w3.org/ns/activitystreams#Follow",
        local: "yes",
        publicKeyPem: "-----BEGIN PUBLIC KEY-----",
      };
      expanded.push(await jsonld.expand(activity, { documentLoader: documentLoader as never }));
      if (i === 0) askedAfterFirst = asked.get(SECURITY) ?? 0;
    }
    expect(askedAfterFirst).toBeLessThanOrEqual(1);
    expect(asked.get(SECURITY) ?? 0).toBe(askedAfterFirst);
    // A context from elsewhere is asked for each time: it is not known never to change.
    expect(asked.get(other)).toBe(3);
    for (const [i, [node]] of expanded.entries()) {
      expect(node).toMatchObject({
        "@id": `https://remote.example/follows/${i}`,
        "https://other.example/ns#local": [{ "@value": "yes" }],
        "https://w3id.org/security#publicKeyPem": [{ "@value": "-----BEGIN PUBLIC KEY-----" }],
      });
    }
  });
});
