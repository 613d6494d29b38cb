import type { Federation } from "@fedify/fedify";
import type { ContextData } from "../../federation/context.ts";
import type { ScreenResult } from "../../federation/signature-screen.ts";
import type { Config } from "../config/config.ts";
import type { Metrics } from "../observability/metrics.ts";
import type { Services } from "../services/index.ts";

/** What the web app is built from; passed in, never imported. */
export interface WebDeps {
  services: Services;
  config: Config;
  federation: Federation<ContextData>;
  /** The same federation handling cheap inbox activities while their sender waits; none: every activity is queued. */
  immediate?: Federation<ContextData> | null;
  /** The same federation queuing inbox activities signed by their actor without checking the signature again; none: Fedify checks it again. */
  screened?: Federation<ContextData> | null;
  contextData: ContextData;
  /** Why an inbox request is refused (a signature that does not do, a blocked sender), or whose key signed it. */
  screenSignature(request: Request, body: Uint8Array): Promise<ScreenResult>;
  logError: (error: unknown) => void;
  /** The time in epoch milliseconds (the page cache's clock; tests move it on). */
  now: () => number;
  /** The instance's metrics, when `/metrics` is on (CONNEXO_METRICS_TOKEN); null or absent otherwise. */
  metrics?: Metrics | null;
}
