import { createFederationBuilder } from "@fedify/fedify";
import type { ContextData } from "./context.ts";
import { registerActors } from "./dispatchers/actors.ts";
import { registerCollections } from "./dispatchers/collections.ts";
import { registerNodeInfo } from "./dispatchers/nodeinfo.ts";
import { registerObjects } from "./dispatchers/objects.ts";
import { registerInbox } from "./inbox/index.ts";

/** Everything Connexo registers with Fedify, in one place; built with a store and queue at start-up. */
export function createConnexoFederationBuilder() {
  const builder = createFederationBuilder<ContextData>();
  registerActors(builder);
  registerCollections(builder);
  registerObjects(builder);
  registerNodeInfo(builder);
  registerInbox(builder);
  return builder;
}
