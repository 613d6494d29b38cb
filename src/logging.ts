import { AsyncLocalStorage } from "node:async_hooks";
import { configure, getConsoleSink, jsonLinesFormatter, getLogger, type LogLevel, type LogRecord } from "@logtape/logtape";
import type { Config } from "./config/config.ts";

/** Structured logs: one JSON object a line, on standard error. */
export async function setUpLogging(level: Config["logLevel"]): Promise<void> {
  await configure({
    reset: true,
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: { console: getConsoleSink({ formatter: jsonLinesFormatter }) },
    filters: { expectedFedifyWarnings: (record) => !isExpectedFedifyWarning(record) },
    loggers: [
      { category: "connexo", lowestLevel: level as LogLevel, sinks: ["console"] },
      // Fedify is chatty below warnings unless asked.
      {
        category: "fedify",
        lowestLevel: level === "debug" ? "debug" : "warning",
        sinks: ["console"],
        filters: ["expectedFedifyWarnings"],
      },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
    ],
  });
}

/**
 * Fedify warns whenever it sends an activity without an object proof. Answers
 * to follows go without one on purpose (federation/delivery-policy.ts, ADR
 * 0014), and a trending community answers thousands: those warnings would
 * bury everything else. Every local actor has an Ed25519 key from its
 * creation, so the warning means nothing else here.
 */
function isExpectedFedifyWarning(record: LogRecord): boolean {
  const raw = typeof record.rawMessage === "string" ? record.rawMessage : record.rawMessage.join("");
  return record.level === "warning" && raw.startsWith("No supported key found to create a proof");
}

export const appLogger = getLogger(["connexo"]);
