import type { Context } from "hono";
import { notFound } from "../../../domain/errors.ts";
import { actorFeedPath, actorPath, communityDecisionFeedPath, communityDecisionsPath } from "../../../domain/urls.ts";
import { ATOM_HEADERS, FEED_SIZE } from "../../atom/atom.ts";
import { decisionFeed } from "../../atom/decision-feed.ts";
import { weeknoteFeed } from "../../atom/weeknote-feed.ts";
import type { WebDeps } from "../../deps.ts";
import { handleOf } from "./handle.ts";

/** An actor's Atom feeds: the weeknotes by a person or in a community, and a community's changes to decision records. */
export function actorFeeds({ services, config, now }: WebDeps) {
  /** `/@{handle}/feed.atom` */
  async function weeknotes(c: Context) {
    const actor = await services.actors.find(handleOf(c));
    if (!actor || actor.deactivatedAt || actor.kind === "instance") throw notFound("There is no one here by that name.");
    const [instanceName, listing] = await Promise.all([services.setup.instanceName(), services.reading.feed(actor, FEED_SIZE)]);
    const preposition = actor.kind === "community" ? "in" : "by";
    const meta = {
      title: `Weeknotes ${preposition} ${actor.displayName} – ${instanceName}`,
      selfPath: actorFeedPath(actor.handle),
      pagePath: actorPath(actor.handle),
      readAt: new Date(now()),
    };
    return c.body(weeknoteFeed(config.origin, meta, listing), 200, ATOM_HEADERS);
  }

  /** `/@{handle}/decisions/feed.atom` */
  async function decisions(c: Context) {
    const community = await services.actors.find(handleOf(c));
    if (!community || community.kind !== "community") throw notFound("There is no community by that name here.");
    const [instanceName, changes] = await Promise.all([
      services.setup.instanceName(),
      services.decisionReading.changes(community.id, FEED_SIZE),
    ]);
    const meta = {
      title: `Decisions in ${community.displayName} – ${instanceName}`,
      selfPath: communityDecisionFeedPath(community.handle),
      pagePath: communityDecisionsPath(community.handle),
      readAt: new Date(now()),
    };
    return c.body(decisionFeed(config.origin, meta, changes), 200, ATOM_HEADERS);
  }

  return { weeknotes, decisions };
}
