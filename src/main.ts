import cluster from "node:cluster";
import { ConfigError, loadConfig, loadDotEnv, type Config } from "./config/config.ts";
import { setUpLogging } from "./logging.ts";

/**
 * Starts Connexo: one process, or (CONNEXO_PROCESSES above 1) a supervisor
 * of that many. The supervisor loads none of the server, so it stays small.
 */
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
  if (config.processes > 1 && cluster.isPrimary) {
    const { superviseProcesses } = await import("./supervisor.ts");
    await superviseProcesses(config);
  } else {
    const { runServerProcess } = await import("./server-process.ts");
    await runServerProcess(config);
  }
}

await main();
