import { createHash } from "node:crypto";
import { Feed } from "feed";
import type { PublishedOutcome } from "../../domain/impact.ts";
import { OUTCOME_LABELS, outcomeSentence } from "../../domain/outcomes.ts";
import { escapeHtml } from "../../domain/sanitize.ts";
import { absoluteUrl, actorPath, decisionPath } from "../../domain/urls.ts";
import { webUrl } from "../../domain/web-url.ts";
import { asXmlText, type FeedMeta, withoutNonXmlCharacters } from "./atom.ts";

/**
 * What became of replies to consultations (newest first) as an Atom 1.0
 * document: one entry per reply, so a reader learns of each outcome as it is
 * given. An entry's id names the record and the reply, not the outcome, so a
 * changed outcome updates its entry instead of adding another.
 */
export function outcomeFeed(origin: string, meta: FeedMeta, outcomes: PublishedOutcome[]): string {
  const absolute = (path: string) => absoluteUrl(origin, path);
  const feed = new Feed({
    id: absolute(meta.selfPath),
    title: asXmlText(meta.title),
    updated: outcomes[0]?.setAt ?? meta.readAt,
    link: absolute(meta.pagePath),
    feed: absolute(meta.selfPath),
    generator: "Connexo",
  });
  for (const outcome of outcomes) {
    const url = absolute(decisionPath(outcome.recordId));
    feed.addItem({
      id: `${url}#outcome-${replyKey(outcome.replyUri)}`,
      link: url,
      // The package writes title and content as type="html": plain text goes in escaped, which also keeps "]]>" out of its CDATA.
      title: escapeHtml(`${OUTCOME_LABELS[outcome.kind]}: ${outcome.recordTitle}`),
      content: outcomeHtml(outcome, url),
      date: outcome.setAt,
      // The community gave the outcome.
      author: [{ name: asXmlText(outcome.community.name), link: absolute(actorPath(outcome.community.handle)) }],
    });
  }
  return withoutNonXmlCharacters(feed.atom1());
}

/** A short, stable name for a reply, fit for a fragment: its URI may hold anything. */
const replyKey = (replyUri: string) => createHash("sha256").update(replyUri).digest("hex").slice(0, 32);

/** Who replied, what the community told them, and links to their reply and to the record. */
function outcomeHtml(outcome: PublishedOutcome, recordUrl: string): string {
  const who = outcome.replyAuthor ?? "Someone";
  const replyUrl = webUrl(outcome.replyUri);
  const reply = replyUrl ? `<a href="${escapeHtml(replyUrl)}">reply</a>` : "reply";
  return [
    `<p>${escapeHtml(who)}’s ${reply} to “${escapeHtml(outcome.recordTitle)}”: ${escapeHtml(OUTCOME_LABELS[outcome.kind].toLowerCase())}.</p>`,
    `<p>What they were told: ${escapeHtml(outcomeSentence(outcome, outcome.recordTitle))}</p>`,
    `<p><a href="${escapeHtml(recordUrl)}">Read the decision record</a></p>`,
  ].join("");
}
