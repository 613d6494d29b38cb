import { formatDecisionTime, STATUS_LABELS, type Decision, type DecisionHistoryEntry } from "../../src/domain/decisions.ts";
import { renderMarkdown } from "../../src/domain/markdown.ts";
import { escapeHtml } from "../../src/domain/sanitize.ts";
import { webUrl } from "../../src/domain/web-url.ts";
import { decisionPath } from "../../src/domain/urls.ts";
import type { FedCtx } from "../context.ts";
import { actorPageUrl } from "./urls.ts";

/** A decision record's id, which is also its page. */
export function decisionUrl(ctx: FedCtx, id: string): URL {
  return new URL(decisionPath(id), ctx.canonicalOrigin);
}

/** Someone named on a record: a person here by their actor URI, a person elsewhere as acct:user@host. */
export interface NamedPerson {
  id: string;
  name: string;
  /** Their page, when we know it. */
  url: string | null;
}

interface RecordLink {
  url: string;
  title: string;
}

/** A record with the people and records it names resolved to ids, names and titles. */
export interface DecisionView {
  decision: Decision;
  url: URL;
  deciders: NamedPerson[];
  supersedes: RecordLink[];
  supersededBy: RecordLink | null;
  /** The instance's time zone: the readable text states times in it, labelled; the record's terms keep UTC. */
  timeZone: string;
}

export async function loadDecisionView(ctx: FedCtx, decision: Decision): Promise<DecisionView> {
  const { publications } = ctx.data.services;
  const link = async (id: string): Promise<RecordLink> => ({
    url: decisionUrl(ctx, id).href,
    title: (await publications.recordTitle(id)) ?? "Another decision record",
  });
  const decider = async (handle: string): Promise<NamedPerson> => {
    if (handle.includes("@")) return { id: `acct:${handle}`, name: `@${handle}`, url: null };
    const person = await publications.localActor(handle);
    return { id: ctx.getActorUri(handle).href, name: person?.displayName ?? `@${handle}`, url: actorPageUrl(ctx, handle).href };
  };
  return {
    decision,
    url: decisionUrl(ctx, decision.post.id),
    deciders: await Promise.all(decision.deciders.map(decider)),
    supersedes: await Promise.all(decision.supersedes.map(link)),
    supersededBy: decision.supersededBy ? await link(decision.supersededBy) : null,
    timeZone: await ctx.data.services.settings.timeZone(),
  };
}

const section = (title: string, html: string) => (html ? `<h2>${escapeHtml(title)}</h2>${html}` : "");
const markdown = (text: string) => (text.trim() ? renderMarkdown(text) : "");
const anchor = (href: string, text: string) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
/** A cited post's address came from elsewhere: a link only if it is a web address. */
const webLink = (href: string | null, text: string) => (href ? anchor(href, text) : escapeHtml(text));
const items = (list: string[]) => (list.length ? `<ul>${list.map((i) => `<li>${i}</li>`).join("")}</ul>` : "");

/**
 * The whole record as readable HTML: what Mastodon shows behind "read more"
 * and what any server without Connexo's terms keeps. Its full history stays
 * on the record's page, linked at the end.
 */
export function decisionContentHtml({ decision: d, url, deciders, supersedes, supersededBy, timeZone }: DecisionView): string {
  const proposedAt = d.post.publishedAt ?? d.post.createdAt;
  const closing = d.status === "open" ? "Comments close" : "Comments closed";
  const dates = [
    `Proposed: ${formatDecisionTime(proposedAt, timeZone)}`,
    ...(d.consultationClosesAt ? [`${closing}: ${formatDecisionTime(d.consultationClosesAt, timeZone)}`] : []),
    ...(d.decidedAt ? [`Decided: ${formatDecisionTime(d.decidedAt, timeZone)}`] : []),
  ];
  return [
    `<p><strong>Status: ${escapeHtml(STATUS_LABELS[d.status])}</strong></p>`,
    section("Question", `<p>${escapeHtml(d.question)}</p>`),
    section("Context", markdown(d.context)),
    section("Options considered", items(d.options.map((o) => `<strong>${escapeHtml(o.title)}</strong>${markdown(o.description)}`))),
    section("Decision", markdown(d.decision)),
    section("Rationale", markdown(d.rationale)),
    section("Consequences", markdown(d.consequences)),
    section("Who decided", items(deciders.map((p) => (p.url ? anchor(p.url, p.name) : escapeHtml(p.name))))),
    section("Dates", items(dates.map(escapeHtml))),
    section(
      "Informed by",
      items(d.informedBy.map((i) => `${webLink(webUrl(i.url, i.uri), i.authorName ?? i.url ?? i.uri)}: ${escapeHtml(i.note)}`)),
    ),
    supersededBy ? `<p>Superseded by ${anchor(supersededBy.url, supersededBy.title)}.</p>` : "",
    supersedes.length ? `<p>Supersedes ${supersedes.map((s) => anchor(s.url, s.title)).join(", ")}.</p>` : "",
    `<p>${anchor(url.href, "The record and its full history")}</p>`,
  ].join("");
}

/** Connexo's terms for a record (see connexo-context.ts), to be merged into the Article's JSON-LD. */
export async function decisionTerms(ctx: FedCtx, view: DecisionView, history: DecisionHistoryEntry[]): Promise<Record<string, unknown>> {
  const { decision: d } = view;
  const known = await ctx.data.services.publications.localActors(history.flatMap((h) => (h.actorId === null ? [] : [h.actorId])));
  const actors = new Map<number, NamedPerson>();
  for (const [id, actor] of known) actors.set(id, { id: ctx.getActorUri(actor.handle).href, name: actor.displayName, url: null });
  const iso = (date: Date | null) => date?.toISOString();
  const node = (p: NamedPerson) => ({ id: p.id, name: p.name });
  return {
    decisionStatus: d.status,
    decisionQuestion: d.question,
    decisionContext: markdown(d.context),
    decisionOptions: d.options.map((o) => ({ optionName: o.title, optionDescription: markdown(o.description) })),
    decisionText: markdown(d.decision),
    decisionRationale: markdown(d.rationale),
    decisionConsequences: markdown(d.consequences),
    deciders: view.deciders.map(node),
    proposedAt: iso(d.post.publishedAt ?? d.post.createdAt),
    consultationClosesAt: iso(d.consultationClosesAt),
    decidedAt: iso(d.decidedAt),
    supersedes: view.supersedes.map((s) => s.url),
    supersededBy: view.supersededBy?.url,
    informedBy: d.informedBy.map((i) => ({ object: i.uri, url: i.url ?? undefined, note: i.note, authorName: i.authorName ?? undefined })),
    decisionHistory: history.map((h) => {
      const actor = h.actorId === null ? null : actors.get(h.actorId);
      return {
        at: h.at.toISOString(),
        actor: actor ? node(actor) : undefined,
        action: h.action,
        fromStatus: h.fromStatus ?? undefined,
        toStatus: h.toStatus,
        reason: h.reason,
        changes: h.changes,
      };
    }),
  };
}
