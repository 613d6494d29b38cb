import type { Context } from "hono";
import { DECISION_FEED_PATH, DECISIONS_PATH } from "../../../domain/urls.ts";
import { ATOM_HEADERS, FEED_SIZE } from "../../atom/atom.ts";
import { decisionFeed } from "../../atom/decision-feed.ts";
import type { WebDeps } from "../../deps.ts";

/** `/decisions/feed.atom`: the latest changes to every community's records. */
export const instanceDecisionFeed =
  ({ services, config, now }: WebDeps) =>
  async (c: Context) => {
    const [instanceName, changes] = await Promise.all([services.setup.instanceName(), services.decisionReading.changes(null, FEED_SIZE)]);
    const meta = { title: `Decisions on ${instanceName}`, selfPath: DECISION_FEED_PATH, pagePath: DECISIONS_PATH, readAt: new Date(now()) };
    return c.body(decisionFeed(config.origin, meta, changes), 200, ATOM_HEADERS);
  };
