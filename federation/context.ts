import type { Context } from "@fedify/fedify";
import type { Config } from "../src/config/config.ts";
import type { Services } from "../src/services/index.ts";

/** What every dispatcher and listener gets from Fedify's context: no globals. */
export interface ContextData {
  services: Services;
  config: Config;
}

export type FedCtx = Context<ContextData>;
