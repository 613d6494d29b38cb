import type { Services } from "./services/index.ts";
import { appLogger } from "./logging.ts";

const HOUR = 3_600_000;
/** How often due notification digests are looked for. */
const DIGEST_CHECK_MS = 5 * 60_000;

/** What worker processes do now and then: removing images no weeknote uses, and sending notification digests by email. */
export function startHousekeeping(services: Services, signal: AbortSignal): void {
  const run = async () => {
    try {
      const removed = await services.media.sweepUnattached();
      if (removed > 0) appLogger.info("Removed {removed} unused images", { removed });
    } catch (error) {
      appLogger.warn("Housekeeping failed; it will run again: {error}", { error });
    }
  };
  const timer = setInterval(run, HOUR);
  signal.addEventListener("abort", () => clearInterval(timer));
  // Looked at every few minutes, so the first news comes soon; each person still gets at most one digest an hour.
  const digests = setInterval(async () => {
    try {
      const sent = await services.notificationDigest.sendDue();
      if (sent > 0) appLogger.info("Sent {sent} notification digests", { sent });
    } catch (error) {
      appLogger.warn("Sending notification digests failed; it will run again: {error}", { error });
    }
  }, DIGEST_CHECK_MS);
  signal.addEventListener("abort", () => clearInterval(digests));
}
