import cluster from "node:cluster";
import { serve } from "@hono/node-server";
import { refusePrivateConnections } from "../federation/http/public-connections.ts";
import type { Config } from "./config/config.ts";
import { heapLimitProblem } from "./config/heap-limit.ts";
import { startHousekeeping } from "./housekeeping.ts";
import { createInstance, type Instance } from "./instance.ts";
import type { Services } from "./services/index.ts";
import { setupUrl } from "./services/setup.ts";
import { Drain } from "./shutdown.ts";
import { DatabaseUnavailableError } from "./storage/database.ts";
import { appLogger } from "./logging.ts";
import { startTracing } from "./observability/tracing.ts";
import { READY_MESSAGE } from "./supervisor.ts";

/**
 * One Connexo process: the web side, the queue worker, or both, as
 * CONNEXO_PROCESS says. Started by `npm start` on its own, or as one of
 * CONNEXO_PROCESSES under the supervisor, which it tells once it is ready.
 */
export async function runServerProcess(config: Config): Promise<void> {
  // From the start: until the process serves, a stop ends it at once (it holds no work to finish);
  // after, it drains. A second signal (a process manager repeating itself) must not cut the drain short.
  let shutdown: (() => Promise<void>) | null = null;
  let stopping = false;
  const once = () => {
    if (stopping) return;
    stopping = true;
    if (shutdown) void shutdown();
    else process.exit(0);
  };
  process.on("SIGINT", once);
  process.on("SIGTERM", once);

  // Under the supervisor, the first process speaks for them all.
  const speaksForAll = !cluster.isWorker || cluster.worker?.id === 1;
  const heapProblem = heapLimitProblem(config.heapMb, process.execArgv, process.env.NODE_OPTIONS);
  if (heapProblem && speaksForAll) appLogger.warn(heapProblem);

  // Every outgoing connection is held to public addresses at the socket too (ADR 0021), unless private ones are allowed.
  if (!config.allowPrivateAddress) refusePrivateConnections();

  // Before the instance, so that Fedify and the services are built with the tracer provider.
  const tracing = config.otlpEndpoint ? await startTracing({ endpoint: config.otlpEndpoint, register: true }) : null;
  if (tracing) appLogger.info("Sending traces to {endpoint}", { endpoint: new URL(config.otlpEndpoint!).origin });
  let instance: Instance;
  try {
    instance = await createInstance(config, { tracerProvider: tracing?.provider });
  } catch (error) {
    if (!(error instanceof DatabaseUnavailableError)) throw error;
    appLogger.error("{message}", { message: error.message });
    process.exit(1);
  }
  const stop = new AbortController();
  const drain = new Drain();
  let worker: Promise<void> = Promise.resolve();
  let server: ReturnType<typeof serve> | null = null;
  shutdown = async () => {
    await drain.stop({ server, worker, stop, timeoutMs: config.shutdownTimeoutMs });
    await instance.close();
    await tracing?.shutdown().catch((error) => appLogger.warn("Could not send the last traces: {error}", { error }));
    process.exit(0);
  };

  if (config.role !== "web") {
    worker = instance.federation.runWorker(stop.signal);
    startHousekeeping(instance.services, stop.signal);
    appLogger.info("Queue worker started");
  }
  if (config.role !== "worker") {
    // Without CONNEXO_HOST, Node listens on every interface (IPv6 and IPv4 where the system has both).
    // Under the supervisor every process listens on the same port: Node's cluster shares it out.
    const options = { fetch: drain.guard(instance.app.fetch), port: config.port, ...(config.host ? { hostname: config.host } : {}) };
    await new Promise<void>((resolve) => {
      server = serve(options, () => resolve());
    });
    if (speaksForAll) {
      // The host is checked by loadConfig (an address or a host name), so it can be part of the message.
      appLogger.info(`Connexo listening on port {port} of ${config.host ?? "every interface"}, public at {origin}`, {
        port: config.port,
        origin: config.origin,
      });
      await announceSetupLink(instance.services, config.origin);
    }
  }
  process.send?.(READY_MESSAGE);
}

/** On a new instance, the operator's way in: a one-time link, printed where they will see it. */
async function announceSetupLink(services: Services, origin: string) {
  const secret = await services.setup.secretAtStartup();
  if (secret) {
    console.log(`\nConnexo has no administrator yet. Open this link to set it up (it works once):\n\n  ${setupUrl(origin, secret)}\n`);
  } else if (await services.setup.needsSetup()) {
    console.log("\nConnexo has no administrator yet. For a setup link, run: npm run connexo -- setup-link\n");
  }
}
