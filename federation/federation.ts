import { createExponentialBackoffPolicy, type Federation } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { Config } from "../src/config/config.ts";
import { EVENTS_QUEUE, type DomainEvent } from "../src/domain/events.ts";
import type { Services } from "../src/services/index.ts";
import type { Database } from "../src/storage/database.ts";
import { createConnexoFederationBuilder } from "./builder.ts";
import type { ContextData } from "./context.ts";
import { handleEvent } from "./outbox/events.ts";
import { createKvStore } from "./kv.ts";
import { createMessageQueue } from "./queue.ts";

const logger = getLogger(["connexo", "federation"]);

export interface ConnexoFederation {
  federation: Federation<ContextData>;
  contextData: ContextData;
  /** Runs the queue workers (Fedify's deliveries and inbox, and our events) until the signal aborts. */
  runWorker(signal: AbortSignal): Promise<void>;
}

/** Builds the Fedify federation on our database, with our durable queue and key-value store. */
export async function createConnexoFederation(database: Database, services: Services, config: Config): Promise<ConnexoFederation> {
  const queueOptions = { concurrency: config.queueConcurrency, leaseMs: config.queueLeaseSeconds * 1000 };
  const fedifyQueue = createMessageQueue(database, { queue: "fedify", ...queueOptions });
  const eventsQueue = createMessageQueue(database, { queue: EVENTS_QUEUE, ...queueOptions });
  const kv = createKvStore(database);
  const contextData: ContextData = { services, config };

  const federation = await createConnexoFederationBuilder().build({
    kv,
    queue: fedifyQueue,
    manuallyStartQueue: true,
    origin: config.origin,
    // Only tests and local demos reach loopback and private addresses.
    allowPrivateAddress: config.allowPrivateAddress,
    outboxRetryPolicy: createExponentialBackoffPolicy({ maxAttempts: 10 }),
    userAgent: { software: "Connexo", url: new URL(config.origin) },
  });

  // An inbox that answers 404 or 410 is gone: stop delivering to the followers behind it.
  federation.setOutboxPermanentFailureHandler(async (_ctx, { inbox, statusCode }) => {
    const removed = await services.follows.dropUnreachableInbox(inbox.href);
    logger.info("Inbox {inbox} answered {statusCode}; removed {removed} followers", { inbox: inbox.href, statusCode, removed });
  });

  async function runWorker(signal: AbortSignal) {
    const sweep = setInterval(() => kv.sweep().catch((error) => logger.warn("Could not sweep the key-value store: {error}", { error })), 60_000);
    try {
      await Promise.all([
        federation.startQueue(contextData, { signal }),
        eventsQueue.listen(async (event: DomainEvent) => {
          const ctx = federation.createContext(new URL(config.origin), contextData);
          await handleEvent(ctx, event);
        }, { signal }),
      ]);
    } finally {
      clearInterval(sweep);
    }
  }

  return { federation, contextData, runWorker };
}
