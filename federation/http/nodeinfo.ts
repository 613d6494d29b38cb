import { fetchDocument, type FetchPolicy } from "./document-loader.ts";

interface NodeInfoLinks {
  links?: { rel?: string; href?: string }[];
}

const NODEINFO_SCHEMA = /^https?:\/\/nodeinfo\.diaspora\.software\/ns\/schema\/2\.[01]$/;

/**
 * The name of the software a server runs, as its NodeInfo says
 * (`/.well-known/nodeinfo`, then the 2.0 or 2.1 document it links), under the
 * same limits as every other fetch (its links are a JRD, like WebFinger's);
 * null if it says nothing we can read.
 */
export async function softwareName(origin: string, policy: FetchPolicy): Promise<string | null> {
  try {
    const { document } = await fetchDocument(new URL("/.well-known/nodeinfo", origin).href, "webfinger", policy);
    const link = (document as NodeInfoLinks).links?.find((l) => NODEINFO_SCHEMA.test(l.rel ?? "") && l.href && URL.canParse(l.href));
    if (!link?.href || new URL(link.href).origin !== new URL(origin).origin) return null;
    const { document: info } = await fetchDocument(link.href, "context", policy);
    const name = (info as { software?: { name?: unknown } }).software?.name;
    return typeof name === "string" ? name.toLowerCase() : null;
  } catch {
    return null;
  }
}
