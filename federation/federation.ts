import { createExponentialBackoffPolicy, type Federation } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { TracerProvider } from "@opentelemetry/api";
import type { Config } from "../src/config/config.ts";
import { EVENTS_QUEUE, type DomainEvent } from "../src/domain/events.ts";
import type { Services } from "../src/services/index.ts";
import type { Clock } from "../src/domain/clock.ts";
import type { Database } from "../src/storage/database.ts";
import { createConnexoFederationBuilder } from "./builder.ts";
import type { ContextData } from "./context.ts";
import { DirectDelivery, withDirectDelivery } from "./http/delivery.ts";
import { createDocumentLoaders } from "./http/document-loader.ts";
import { installOutgoingLimits } from "./http/outgoing-limits.ts";
import { fetchPolicyOf } from "./http/policy.ts";
import { handleEvent } from "./outbox/events.ts";
import { createKvStore } from "./kv.ts";
import { fedifyMessageKind, fedifyMessageOrigin } from "./message-origin.ts";
import { createMessageQueue, type HandledOutcome } from "./queue.ts";
import { createSignatureScreen, type ScreenResult } from "./signature-screen.ts";
import { restoringSigners, stampingSigners } from "./inbox/signer.ts";

const logger = getLogger(["connexo", "federation"]);

export interface ConnexoFederation {
  federation: Federation<ContextData>;
  /**
   * The same federation, but handling inbox activities while their sender
   * waits rather than through the queue, and leaving their signature to the
   * screen, which has checked it already. For activities that need nothing
   * from other servers and whose actor signed them (see `src/web/immediate-inbox.ts`).
   */
  immediate: Federation<ContextData>;
  /**
   * The same federation, queuing inbox activities as the first does, but
   * leaving their signature to the screen: for those whose actor signed them.
   * Each is queued with its signer (run it inside `carryingSigner`), whom the
   * listener compares with its actor once the worker takes it.
   */
  screened: Federation<ContextData>;
  contextData: ContextData;
  /** Runs the queue workers (Fedify's deliveries and inbox, and our events) until the signal aborts. */
  runWorker(signal: AbortSignal): Promise<void>;
  /** Why an inbox request's signature is refused, or null when it verifies; checked before Fedify parses the body. */
  screenSignature(request: Request, body: Uint8Array): Promise<ScreenResult>;
}

/** Builds the Fedify federation on our database, with our durable queue and key-value store. */
export interface FederationOptions {
  /** The instance's clock, for the queues and the key-value store. */
  now?: Clock;
  /** Where Fedify's spans go, when traces are on. */
  tracerProvider?: TracerProvider;
  /** Told what became of each queue message handled (metrics count it). */
  onQueueMessage?: (queue: string, kind: string, outcome: HandledOutcome) => void;
}

export async function createConnexoFederation(
  database: Database,
  services: Services,
  config: Config,
  { now = () => Date.now(), tracerProvider, onQueueMessage }: FederationOptions = {},
): Promise<ConnexoFederation> {
  const queueOptions = {
    concurrency: config.queueConcurrency,
    leaseMs: config.queueLeaseSeconds * 1000,
    handlerTimeoutMs: config.queueHandlerTimeoutMs,
    // On SIGTERM, work in hand gets the shutdown's time to finish; what is left is released for another try.
    drainTimeoutMs: config.shutdownTimeoutMs,
    now,
  };
  // Deliveries are shared out by the inbox's origin, received activities by their sender's.
  const fedifyQueue = createMessageQueue(database, {
    queue: "fedify",
    ...queueOptions,
    onHandled: (payload, outcome) => onQueueMessage?.("fedify", fedifyMessageKind(payload), outcome),
    originOf: fedifyMessageOrigin,
    perOrigin: config.queuePerOrigin,
  });
  const eventsQueue = createMessageQueue(database, {
    queue: EVENTS_QUEUE,
    ...queueOptions,
    onHandled: (_payload, outcome) => onQueueMessage?.(EVENTS_QUEUE, "event", outcome),
  });
  const kv = createKvStore(database, now);
  const policy = fetchPolicyOf(config);
  // Deliveries and WebFinger go through Node's fetch from inside Fedify: limit them where it sends.
  installOutgoingLimits({ timeoutMs: config.fetchTimeoutMs, maxBytes: config.fetchMaxBytes });
  const loaders = createDocumentLoaders(kv, policy);
  // Prepared deliveries are signed and sent by us; failures and retries stay Fedify's. Neither sends to an
  // inbox on a private address unless the instance allows those, as no fetch goes there either.
  const delivery = new DirectDelivery({
    userAgent: policy.userAgent,
    now,
    queue: fedifyQueue,
    allowPrivateAddress: policy.allowPrivateAddress,
  });
  const contextData: ContextData = { services, config, fetchPolicy: policy, cachedOnlyLoader: loaders.cachedOnlyLoader, delivery };

  const options = {
    kv,
    queue: withDirectDelivery(restoringSigners(fedifyQueue), delivery),
    manuallyStartQueue: true,
    origin: config.origin,
    // Our loaders hold every fetch to the policy (and reach private addresses only when configured to).
    documentLoaderFactory: loaders.documentLoaderFactory,
    contextLoaderFactory: loaders.contextLoaderFactory,
    authenticatedDocumentLoaderFactory: loaders.authenticatedDocumentLoaderFactory,
    outboxRetryPolicy: createExponentialBackoffPolicy({ maxAttempts: 10 }),
    ...(tracerProvider ? { tracerProvider } : {}),
  };
  const federation = await createConnexoFederationBuilder().build(options);
  // What it sends still goes through the queue, worked by the federation above: the messages carry all they need.
  const immediate = await createConnexoFederationBuilder().build({
    ...options,
    queue: { outbox: fedifyQueue, fanout: fedifyQueue },
    skipSignatureVerification: true,
  });
  // Its inbox messages are worked by the federation above, which hands each listener the signer written into it.
  const screened = await createConnexoFederationBuilder().build({
    ...options,
    queue: { inbox: stampingSigners(fedifyQueue), outbox: fedifyQueue, fanout: fedifyQueue },
    skipSignatureVerification: true,
  });
  const screenSignature = createSignatureScreen({
    kv,
    documentLoader: loaders.documentLoader,
    contextLoader: loaders.contextLoader,
    refusesKey: (keyId) => services.federationPolicy.refusesKey(keyId),
  });

  // An inbox that answers 404 or 410 is gone: stop delivering to the followers behind it.
  federation.setOutboxPermanentFailureHandler(async (_ctx, { inbox, statusCode }) => {
    const removed = await services.follows.dropUnreachableInbox(inbox.href);
    logger.info("Inbox {inbox} answered {statusCode}; removed {removed} followers", { inbox: inbox.href, statusCode, removed });
  });

  async function runWorker(signal: AbortSignal) {
    const sweep = setInterval(
      () => kv.sweep().catch((error) => logger.warn("Could not sweep the key-value store: {error}", { error })),
      60_000,
    );
    try {
      await Promise.all([
        federation.startQueue(contextData, { signal }),
        eventsQueue.listen(
          async (event: DomainEvent) => {
            const ctx = federation.createContext(new URL(config.origin), contextData);
            await handleEvent(ctx, event);
          },
          { signal },
        ),
      ]);
    } finally {
      clearInterval(sweep);
    }
  }

  return { federation, immediate, screened, contextData, runWorker, screenSignature };
}
