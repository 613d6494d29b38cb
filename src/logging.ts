import { AsyncLocalStorage } from "node:async_hooks";
import { configure, getConsoleSink, jsonLinesFormatter, getLogger, type LogLevel } from "@logtape/logtape";
import type { Config } from "./config/config.ts";

/** Structured logs: one JSON object a line, on standard error. */
export async function setUpLogging(level: Config["logLevel"]): Promise<void> {
  await configure({
    reset: true,
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: { console: getConsoleSink({ formatter: jsonLinesFormatter }) },
    loggers: [
      { category: "connexo", lowestLevel: level as LogLevel, sinks: ["console"] },
      // Fedify is chatty below warnings unless asked.
      { category: "fedify", lowestLevel: level === "debug" ? "debug" : "warning", sinks: ["console"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
    ],
  });
}

export const appLogger = getLogger(["connexo"]);
