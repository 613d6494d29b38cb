import { createConnexoFederation, type ConnexoFederation } from "../federation/federation.ts";
import type { Config } from "./config/config.ts";
import { appLogger } from "./logging.ts";
import { createServices, type Services } from "./services/index.ts";
import { openSqlite, type SqliteDatabase } from "./storage/sqlite/database.ts";
import { createSqliteStore } from "./storage/sqlite/store.ts";
import { createApp } from "./web/app.ts";

export interface Instance {
  config: Config;
  database: SqliteDatabase;
  services: Services;
  federation: ConnexoFederation;
  app: ReturnType<typeof createApp>;
  close(): void;
}

/**
 * Wires one Connexo instance together from its configuration: database,
 * services, federation and web app. Starts nothing: see main.ts.
 */
export async function createInstance(config: Config): Promise<Instance> {
  const database = openSqlite(config.database);
  const services = createServices(createSqliteStore(database));
  await services.actors.ensureInstanceActor(config.instanceName);
  const federation = await createConnexoFederation(database, services, config);
  const app = createApp({
    services,
    config,
    federation: federation.federation,
    contextData: federation.contextData,
    logError: (error) => appLogger.error("Unhandled error: {error}", { error }),
  });
  return { config, database, services, federation, app, close: () => database.close() };
}
