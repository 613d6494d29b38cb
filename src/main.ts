import { serve } from "@hono/node-server";
import { ConfigError, loadConfig, loadDotEnv, type Config } from "./config/config.ts";
import { startHousekeeping } from "./housekeeping.ts";
import { createInstance, type Instance } from "./instance.ts";
import type { Services } from "./services/index.ts";
import { setupUrl } from "./services/setup.ts";
import { DatabaseUnavailableError } from "./storage/database.ts";
import { appLogger, setUpLogging } from "./logging.ts";

/** Starts Connexo: the web side, the queue worker, or both, as CONNEXO_PROCESS says. */
async function main() {
  loadDotEnv();
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
  await setUpLogging(config.logLevel);
  let instance: Instance;
  try {
    instance = await createInstance(config);
  } catch (error) {
    if (!(error instanceof DatabaseUnavailableError)) throw error;
    appLogger.error("{message}", { message: error.message });
    process.exit(1);
  }
  const stop = new AbortController();
  let worker: Promise<void> = Promise.resolve();

  if (config.role !== "web") {
    worker = instance.federation.runWorker(stop.signal);
    startHousekeeping(instance.services, stop.signal);
    appLogger.info("Queue worker started");
  }
  let server: ReturnType<typeof serve> | null = null;
  if (config.role !== "worker") {
    // Without CONNEXO_HOST, Node listens on every interface (IPv6 and IPv4 where the system has both).
    server = serve({ fetch: instance.app.fetch, port: config.port, ...(config.host ? { hostname: config.host } : {}) });
    // The host is checked by loadConfig (an address or a host name), so it can be part of the message.
    appLogger.info(`Connexo listening on port {port} of ${config.host ?? "every interface"}, public at {origin}`, {
      port: config.port,
      origin: config.origin,
    });
    await announceSetupLink(instance.services, config.origin);
  }

  const shutdown = async () => {
    appLogger.info("Shutting down");
    stop.abort();
    server?.close();
    await worker;
    await instance.close();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
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

await main();
