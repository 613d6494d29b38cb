import { ConfigError, loadConfig, loadDotEnv, type Config } from "../config/config.ts";

/** The configuration from the environment (and `.env`), or null once what is wrong with it has been printed. */
export function readConfig(): Config | null {
  loadDotEnv();
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return null;
  }
}
