import { createConnexoFederation, type ConnexoFederation } from "../federation/federation.ts";
import type { TracerProvider } from "@opentelemetry/api";
import type { Config } from "./config/config.ts";
import { appLogger } from "./logging.ts";
import { SmtpMailer } from "./mail/smtp-mailer.ts";
import { createDatabaseMetrics, type Metrics } from "./observability/metrics.ts";
import { traceServices } from "./observability/tracing.ts";
import { createServices, type Services } from "./services/index.ts";
import { createDeadLetterTable, createStore, openDatabase, type Database } from "./storage/database.ts";
import type { Store } from "./storage/repositories.ts";
import { DiskMediaFiles } from "./storage/media-files.ts";
import { createApp } from "./web/app.tsx";

export interface Instance {
  config: Config;
  database: Database;
  /** The store the services stand on; nothing but the services uses it (tests may look under the hood). */
  store: Store;
  services: Services;
  federation: ConnexoFederation;
  app: ReturnType<typeof createApp>;
  /** The instance's metrics, when `/metrics` is on. */
  metrics: Metrics | null;
  close(): Promise<void>;
}

/**
 * Wires one Connexo instance together from its configuration: database,
 * services, federation and web app. Starts nothing: see main.ts. `now` is
 * the services' clock (Date.now unless a test moves time on). With a
 * `tracerProvider`, Fedify and every service method call send spans to it.
 */
export async function createInstance(
  config: Config,
  options: { now?: () => number; tracerProvider?: TracerProvider | null } = {},
): Promise<Instance> {
  const database = await openDatabase(config.database, { poolSize: config.databasePoolSize });
  const now = options.now ?? (() => Date.now());
  const store = createStore(database, now);
  const mailer = config.smtp ? new SmtpMailer(config.smtp) : null;
  const services = traceServices(
    createServices(store, {
      instanceName: config.instanceName,
      origin: config.origin,
      mediaFiles: new DiskMediaFiles(config.mediaDir),
      deadLetters: createDeadLetterTable(database),
      federationMode: config.federationMode,
      now,
      mailer,
      onMailFailure: (error, message) =>
        appLogger.error("Could not send the email {subject}: {error}", { subject: message.subject, error }),
    }),
    options.tracerProvider,
  );
  await services.actors.ensureInstanceActor(config.instanceName);
  const metrics = config.metricsToken ? createDatabaseMetrics(database, now) : null;
  const federation = await createConnexoFederation(database, services, config, {
    now,
    tracerProvider: options.tracerProvider ?? undefined,
    onQueueMessage: metrics ? (queue, kind, outcome) => metrics.countQueueMessage(queue, kind, outcome) : undefined,
  });
  const app = createApp({
    now,
    services,
    config,
    federation: federation.federation,
    immediate: federation.immediate,
    screened: federation.screened,
    contextData: federation.contextData,
    screenSignature: federation.screenSignature,
    metrics,
    logError: (error) => appLogger.error("Unhandled error: {error}", { error }),
  });
  return {
    config,
    database,
    store,
    services,
    federation,
    app,
    metrics,
    close: async () => {
      mailer?.close();
      await database.close();
    },
  };
}
