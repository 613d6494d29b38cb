import { createConnexoFederation, type ConnexoFederation } from "../federation/federation.ts";
import type { Config } from "./config/config.ts";
import { appLogger } from "./logging.ts";
import { createServices, type Services } from "./services/index.ts";
import { createStore, openDatabase, type Database } from "./storage/database.ts";
import { DiskMediaFiles } from "./storage/media-files.ts";
import { createApp } from "./web/app.tsx";

export interface Instance {
  config: Config;
  database: Database;
  services: Services;
  federation: ConnexoFederation;
  app: ReturnType<typeof createApp>;
  close(): Promise<void>;
}

/**
 * Wires one Connexo instance together from its configuration: database,
 * services, federation and web app. Starts nothing: see main.ts.
 */
export async function createInstance(config: Config): Promise<Instance> {
  const database = await openDatabase(config.database, { poolSize: config.databasePoolSize });
  const services = createServices(createStore(database), {
    instanceName: config.instanceName,
    origin: config.origin,
    mediaFiles: new DiskMediaFiles(config.mediaDir),
  });
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
