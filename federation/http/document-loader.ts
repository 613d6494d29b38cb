import { Temporal } from "@js-temporal/polyfill";
import {
  FetchError,
  kvCache,
  signRequest,
  validatePublicUrl,
  type AuthenticatedDocumentLoaderFactory,
  type DocumentLoader,
  type DocumentLoaderFactory,
  type KvStore,
  type RemoteDocument,
} from "@fedify/fedify";
import { preloadedContexts } from "@fedify/vocab-runtime";
import { acceptsAs, type DocumentKind } from "./content-types.ts";
import { FailureMemory } from "./failure-memory.ts";
import { readAtMost } from "../../src/domain/bounded-read.ts";

/** How documents are fetched from other servers. */
export interface FetchPolicy {
  /** Loopback and private addresses: tests and local demos only. */
  allowPrivateAddress: boolean;
  userAgent: string;
  /** For the whole fetch, redirects included. */
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export interface DocumentLoaders {
  documentLoaderFactory: DocumentLoaderFactory;
  contextLoaderFactory: DocumentLoaderFactory;
  authenticatedDocumentLoaderFactory: AuthenticatedDocumentLoaderFactory;
  /** The cached loader for objects, actors and keys, for code outside a Fedify context. */
  documentLoader: DocumentLoader;
  /** A document from the cached loader's cache, fetching nothing: throws when it is not there. */
  cachedOnlyLoader: DocumentLoader;
  contextLoader: DocumentLoader;
}

type Signer = (request: Request) => Promise<Request>;

const ACCEPT: Record<DocumentKind, string> = {
  object: 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
  context: "application/ld+json, application/json",
  webfinger: "application/jrd+json, application/json",
};

/**
 * Fedify's document loaders, on one fetch that holds every document to our
 * policy: a deadline for the whole fetch, a size limit, a few redirects, an
 * ActivityPub content type, and an id on the origin it was finally served
 * from. Fresh documents are cached (objects for minutes, contexts for a day);
 * a URL that failed is not asked for again for a while; and a URL already
 * being fetched is not fetched twice at once.
 */
export function createDocumentLoaders(kv: KvStore, policy: FetchPolicy): DocumentLoaders {
  const failures = new FailureMemory(kv);
  const inFlight = new Map<string, Promise<RemoteDocument>>();

  const load =
    (kind: DocumentKind, signer?: Signer): DocumentLoader =>
    (url, options) => {
      const key = signer ? null : `${kind} ${url}`;
      const running = key ? inFlight.get(key) : undefined;
      if (running) return running;
      // Looking the failure up is part of the shared fetch: a request that comes in while the
      // failure is being written waits for it, instead of finding neither it nor the fetch.
      const fetching = (async () => {
        const known = await failures.recall(url);
        if (known) throw new FetchError(url, `${url} failed recently: ${known}`);
        try {
          return await fetchDocument(url, kind, policy, { signal: options?.signal, signer });
        } catch (error) {
          await failures.remember(url, error instanceof Error ? error.message : String(error));
          throw error;
        }
      })();
      if (!key) return fetching;
      inFlight.set(key, fetching);
      return fetching.finally(() => inFlight.delete(key));
    };

  const objectPrefix = ["_fedify", "remoteDocument"] as const;
  const cachedObjects = kvCache({ loader: load("object"), kv, prefix: [...objectPrefix] });
  // A key's id is its actor's address and a fragment (…#main-key); no server ever sees the fragment, so
  // the key and its actor are one document, fetched and cached once.
  const documentLoader: DocumentLoader = (url, options) => cachedObjects(withoutFragment(url), options);
  const contextLoader = staticBuiltInContexts(
    kvCache({
      loader: load("context"),
      kv,
      prefix: ["_fedify", "remoteContext"],
      rules: [[new URLPattern({}), Temporal.Duration.from({ hours: 24 })]],
    }),
  );
  const cachedOnlyLoader: DocumentLoader = async (url) => {
    const cached = await kv.get<RemoteDocument>([...objectPrefix, withoutFragment(url)]);
    if (!cached) throw new FetchError(url, `${url} is not cached`);
    return cached;
  };
  return {
    documentLoader,
    cachedOnlyLoader,
    contextLoader,
    documentLoaderFactory: () => documentLoader,
    contextLoaderFactory: () => contextLoader,
    // Signed fetches are not cached: a decision record is read afresh on every Update.
    authenticatedDocumentLoaderFactory: (identity) =>
      load("object", (request) => signRequest(request, identity.privateKey, identity.keyId, { spec: "draft-cavage-http-signatures-12" })),
  };
}

/**
 * Tells the JSON-LD processor that the contexts built into Fedify (the
 * ActivityStreams, security and similar ones every activity names) never
 * change, by tagging them `static`. The processor then keeps each one
 * resolved and processed between documents (up to a hundred contexts),
 * instead of processing its hundreds of terms again for every activity it
 * reads or writes: without the tag it caches nothing across documents, and a
 * profile of 1,000 follows spent a fifth of their time doing so.
 */
export function staticBuiltInContexts(loader: DocumentLoader): DocumentLoader {
  return async (url, options) => {
    const document = await loader(url, options);
    return Object.hasOwn(preloadedContexts, url) ? { ...document, tag: "static" } : document;
  };
}

function withoutFragment(url: string): string {
  const hash = url.indexOf("#");
  return hash < 0 ? url : url.slice(0, hash);
}

/** One document, fetched under the policy; throws FetchError (or the limit's error) otherwise. */
export async function fetchDocument(
  url: string,
  kind: DocumentKind,
  policy: FetchPolicy,
  options: { signal?: AbortSignal; signer?: Signer } = {},
): Promise<RemoteDocument> {
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  let current = url;
  for (let redirects = 0; ; redirects++) {
    await checkUrl(current, policy);
    let request = new Request(current, { headers: { accept: ACCEPT[kind], "user-agent": policy.userAgent }, redirect: "manual", signal });
    if (options.signer) request = await options.signer(request);
    const response = await fetch(request);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      if (redirects >= policy.maxRedirects) throw new FetchError(url, `More than ${policy.maxRedirects} redirects from ${url}`);
      current = new URL(location, current).href;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      // Fedify reads the status (410 Gone, say) from a copy of the response; the body is of no use to it.
      throw new FetchError(
        current,
        `HTTP ${response.status}: ${current}`,
        new Response(null, { status: response.status, headers: response.headers }),
      );
    }
    const contentType = response.headers.get("content-type");
    if (!acceptsAs(kind, contentType)) {
      await response.body?.cancel();
      throw new FetchError(current, `${current} answered ${contentType ?? "no content type"}, not ActivityPub JSON`);
    }
    const body = await readAtMost(response.body, policy.maxBytes);
    if (body === null) throw new FetchError(current, `${current} sent more than ${policy.maxBytes} bytes`);
    let document: unknown;
    try {
      document = JSON.parse(new TextDecoder().decode(body));
    } catch {
      throw new FetchError(current, `${current} did not answer JSON`);
    }
    if (kind === "object") checkIdOrigin(document, current);
    return { contextUrl: null, document, documentUrl: current };
  }
}

async function checkUrl(url: string, policy: FetchPolicy) {
  const { protocol } = new URL(url);
  if (protocol !== "https:" && protocol !== "http:") throw new FetchError(url, `Not an http(s) URL: ${url}`);
  if (!policy.allowPrivateAddress) await validatePublicUrl(url);
}

/** A document speaks only for the origin it was served from: its id must live there. */
function checkIdOrigin(document: unknown, servedFrom: string) {
  const id = typeof document === "object" && document !== null ? (document as { id?: unknown }).id : undefined;
  if (id === undefined) return;
  if (typeof id !== "string" || !URL.canParse(id) || new URL(id).origin !== new URL(servedFrom).origin) {
    throw new FetchError(servedFrom, `${servedFrom} served a document whose id (${String(id)}) is on another origin`);
  }
}
