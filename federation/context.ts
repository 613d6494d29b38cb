import type { Context, DocumentLoader } from "@fedify/fedify";
import type { Config } from "../src/config/config.ts";
import type { DirectDelivery } from "./http/delivery.ts";
import type { FetchPolicy } from "./http/document-loader.ts";
import type { Services } from "../src/services/index.ts";

/** What every dispatcher and listener gets from Fedify's context: no globals. */
export interface ContextData {
  services: Services;
  config: Config;
  /** How this instance fetches from other servers (deadline, size, redirects). */
  fetchPolicy: FetchPolicy;
  /** Documents fetched lately without a signature (an actor fetched for its key), from the cache only. */
  cachedOnlyLoader: DocumentLoader;
  /** Sends what Fedify prepared, and queues answers prepared without it. */
  delivery: DirectDelivery;
  /**
   * Set only for an inbox activity handled while its sender waits: the owner
   * of the key that signed the request, as the signature screen found it. The
   * listeners drop the activity unless that is its actor.
   */
  signedBy?: string;
}

export type FedCtx = Context<ContextData>;
