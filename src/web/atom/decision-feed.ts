import { Feed } from "feed";
import type { Decision, DecisionHistoryEntry } from "../../domain/decisions.ts";
import { escapeHtml } from "../../domain/sanitize.ts";
import type { Actor } from "../../domain/types.ts";
import { absoluteUrl, actorPath, decisionPath } from "../../domain/urls.ts";
import type { RecordChanges } from "../../services/decision-reading.ts";
import { ACTION_WORDS, actionText, statusChangeText } from "../pages/decision-parts.tsx";
import { asXmlText, type FeedMeta, withoutNonXmlCharacters } from "./atom.ts";

/**
 * Changes to decision records (newest first) as an Atom 1.0 document: one
 * entry per history entry, so a reader learns of a new record and of every
 * change to it (opened, decided, amended…).
 */
export function decisionFeed(origin: string, meta: FeedMeta, { changes, actors }: RecordChanges): string {
  const absolute = (path: string) => absoluteUrl(origin, path);
  const feed = new Feed({
    id: absolute(meta.selfPath),
    title: asXmlText(meta.title),
    updated: changes[0]?.entry.at ?? meta.readAt,
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
      author: by ? [{ name: asXmlText(by.displayName), link: absolute(actorPath(by.handle)) }] : undefined,
      category: decision.post.tags.map((term) => ({ term })),
    });
  }
  return withoutNonXmlCharacters(feed.atom1());
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
