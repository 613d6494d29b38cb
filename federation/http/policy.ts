import { getUserAgent } from "@fedify/fedify";
import type { Config } from "../../src/config/config.ts";
import type { FetchPolicy } from "./document-loader.ts";

/** How this instance fetches from other servers, from its configuration. */
export function fetchPolicyOf(config: Config): FetchPolicy {
  return {
    allowPrivateAddress: config.allowPrivateAddress,
    userAgent: getUserAgent({ software: "Connexo", url: new URL(config.origin) }),
    timeoutMs: config.fetchTimeoutMs,
    maxBytes: config.fetchMaxBytes,
    maxRedirects: config.fetchMaxRedirects,
  };
}
