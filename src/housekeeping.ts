import type { Services } from "./services/index.ts";
import { appLogger } from "./logging.ts";

const HOUR = 3_600_000;

/** Tidying that worker processes do now and then: for now, removing images no weeknote uses. */
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
}
