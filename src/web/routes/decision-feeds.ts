import { Feed } from "feed";
import { Hono } from "hono";
import type { Decision, DecisionHistoryEntry } from "../../domain/decisions.ts";
import { notFound } from "../../domain/errors.ts";
import { escapeHtml } from "../../domain/sanitize.ts";
import type { Actor } from "../../domain/types.ts";
import { decisionPath } from "../../services/decisions.ts";
import type { WebDeps } from "../deps.ts";
import { ACTION_WORDS, actionText, statusChangeText } from "../pages/decision-parts.tsx";
import { asXmlText, ATOM_HEADERS, FEED_SIZE, withoutNonXmlCharacters } from "./feeds.ts";
import { actorsById } from "./page-data.ts";

interface FeedMeta {
  title: string;
  selfPath: string;
  pagePath: string;
}

type Change = { entry: DecisionHistoryEntry; decision: Decision };

/**
 * Atom feeds of decision records: one entry per history entry, so a reader
 * learns of a new record and of every change to it (opened, decided, amended…).
 */
export function decisionFeedRoutes({ services, config }: WebDeps) {
  const app = new Hono();
  const absolute = (path: string) => new URL(path, config.origin).href;

  app.get("/decisions/feed.atom", async (c) => {
    const [instanceName, changes] = await Promise.all([
      services.setup.instanceName(),
      services.store.decisions.recentHistory(null, FEED_SIZE),
    ]);
    const xml = await decisionFeed(
      { title: `Decisions on ${instanceName}`, selfPath: "/decisions/feed.atom", pagePath: "/decisions" },
      changes,
    );
    return c.body(xml, 200, ATOM_HEADERS);
  });

  app.get("/:handle{@[a-z0-9_]+}/decisions/feed.atom", async (c) => {
    const community = await services.actors.find(c.req.param("handle").slice(1));
    if (!community || community.kind !== "community") throw notFound("There is no community by that name here.");
    const [instanceName, changes] = await Promise.all([
      services.setup.instanceName(),
      services.store.decisions.recentHistory(community.id, FEED_SIZE),
    ]);
    const meta = {
      title: `Decisions in ${community.displayName} – ${instanceName}`,
      selfPath: `/@${community.handle}/decisions/feed.atom`,
      pagePath: `/@${community.handle}/decisions`,
    };
    return c.body(await decisionFeed(meta, changes), 200, ATOM_HEADERS);
  });

  /** The changes (newest first) as an Atom 1.0 document. */
  async function decisionFeed(meta: FeedMeta, changes: Change[]): Promise<string> {
    const actors = await actorsById(
      services,
      changes.map(({ entry, decision }) => entry.actorId ?? decision.post.communityId!),
    );
    const feed = new Feed({
      id: absolute(meta.selfPath),
      title: asXmlText(meta.title),
      updated: changes[0]?.entry.at ?? new Date(),
      link: absolute(meta.pagePath),
      feed: absolute(meta.selfPath),
      generator: "Connexo",
    });
    for (const { entry, decision } of changes) {
      const url = absolute(decisionPath(decision.post.id));
      // The instance's own moves (a consultation reaching its date) are the community's.
      const by = actors.get(entry.actorId ?? decision.post.communityId!);
      feed.addItem({
        id: `${url}#history-${entry.id}`,
        link: url,
        // The package writes title and content as type="html": plain text goes in escaped, which also keeps "]]>" out of its CDATA.
        title: escapeHtml(`${ACTION_WORDS[entry.action]}: ${decision.post.title ?? "Decision record"}`),
        content: changeHtml(entry, decision, by ?? null, url),
        date: entry.at,
        published: entry.at,
        author: by ? [{ name: asXmlText(by.displayName), link: absolute(`/@${by.handle}`) }] : undefined,
        category: decision.post.tags.map((term) => ({ term })),
      });
    }
    return withoutNonXmlCharacters(feed.atom1());
  }

  return app;
}

/** What changed, who did it and why, then where the record stands now (which may be later than this change). */
function changeHtml(entry: DecisionHistoryEntry, decision: Decision, by: Actor | null, url: string): string {
  const who = entry.actorId === null ? "automatically" : `by ${by?.displayName ?? "someone here"}`;
  const status = statusChangeText(entry);
  const paragraphs = [
    `${actionText(entry)}, ${who}.`,
    entry.action === "proposed" ? `The question: ${decision.question}` : null,
    status ? `${status}.` : null,
    entry.reason ? `Reason: ${entry.reason}` : null,
    decision.post.summary ? `Where the record stands now: ${decision.post.summary}` : null,
  ];
  const text = paragraphs.filter((p) => p !== null).map((p) => `<p>${escapeHtml(p)}</p>`);
  return [...text, `<p><a href="${escapeHtml(url)}">Read the decision record</a></p>`].join("");
}
