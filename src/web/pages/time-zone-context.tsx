import { createContext, useContext } from "hono/jsx";
import type { HtmlEscapedString } from "hono/utils/html";
import { DEFAULT_TIME_ZONE } from "../../domain/time-zone.ts";

/**
 * The request's time zone for the components that show times. Dates appear
 * deep in shared pieces (post lists, metadata lines) that are not handed the
 * page context; render.ts provides the zone once around each page instead of
 * threading it through every one of them.
 */
const TimeZone = createContext(DEFAULT_TIME_ZONE);

export function useTimeZone(): string {
  return useContext(TimeZone);
}

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The page, rendered with times in this zone. */
export function inTimeZone(zone: string, page: Html): Html {
  return <TimeZone.Provider value={zone}>{page}</TimeZone.Provider>;
}
