import type { Decision, DecisionOption, InformedBy } from "../domain/decisions.ts";
import { invalid } from "../domain/errors.ts";
import { normaliseHandle } from "../domain/handle.ts";
import type { Actor } from "../domain/types.ts";

/** The checks of a decision record's fields: each returns the clean value or throws naming its field. */

export const LIMITS = { title: 200, question: 500, text: 20_000, option: 200, optionText: 2_000, reason: 1_000, note: 1_000 };
const MAX_OPTIONS = 10;
const MAX_INPUTS = 50;
const MAX_DECIDERS = 50;
const MAX_CONSULTATION_DAYS = 366;
const REMOTE_HANDLE = /^[a-z0-9_.-]+@[a-z0-9.-]+(:\d+)?$/i;

/** A reply that a record may cite: one of the replies it received, from here or elsewhere. */
export interface CitableReply {
  uri: string;
  url: string | null;
  authorName: string;
  authorUri: string | null;
  contentHtml: string;
  publishedAt: Date;
}

export function optionalText(value: string | undefined, field: string, label: string): string {
  const text = (value ?? "").trim();
  if (text.length > LIMITS.text)
    throw invalid(`${label} must be at most ${LIMITS.text} characters.`, { [field]: `at most ${LIMITS.text} characters` });
  return text;
}

/** The options filled in (empty slots of a form are dropped); each needs a name. */
export function checkOptions(options: DecisionOption[] | undefined): DecisionOption[] {
  const filled = (options ?? [])
    .map((o) => ({ title: (o.title ?? "").trim(), description: (o.description ?? "").trim() }))
    .filter((o) => o.title || o.description);
  if (filled.length > MAX_OPTIONS)
    throw invalid(`A record may list at most ${MAX_OPTIONS} options.`, { options: `at most ${MAX_OPTIONS}` });
  for (const o of filled) {
    if (!o.title) throw invalid("Each option needs a short name as well as its description.", { options: "each option needs a name" });
    if (o.title.length > LIMITS.option || o.description.length > LIMITS.optionText) {
      throw invalid(`Option names may be ${LIMITS.option} characters and descriptions ${LIMITS.optionText}.`, { options: "too long" });
    }
  }
  return filled;
}

/** The why of a change; `required` is the message when it must be given. */
export function checkReason(reason: string | undefined, required: string | null): string {
  const text = (reason ?? "").trim();
  if (required && !text) throw invalid(required, { reason: "required" });
  if (text.length > LIMITS.reason)
    throw invalid(`The reason must be at most ${LIMITS.reason} characters.`, { reason: `at most ${LIMITS.reason} characters` });
  return text;
}

/** A consultation closes in the future, and within a year. */
export function checkClosingTime(closesAt: Date | null, now: number): Date {
  if (!closesAt || Number.isNaN(closesAt.getTime())) throw invalid("Say when the consultation closes.", { closesAt: "required" });
  if (closesAt.getTime() <= now) throw invalid("The consultation must close in the future.", { closesAt: "must be in the future" });
  if (closesAt.getTime() > now + MAX_CONSULTATION_DAYS * 86_400_000) {
    throw invalid(`A consultation may run for at most ${MAX_CONSULTATION_DAYS} days.`, {
      closesAt: `at most ${MAX_CONSULTATION_DAYS} days ahead`,
    });
  }
  return closesAt;
}

/** Who decided: local people by handle (they must exist here), people elsewhere as user@host. */
export async function checkDeciders(
  input: string | string[],
  required: boolean,
  findLocal: (handle: string) => Promise<Actor | null>,
): Promise<string[]> {
  const entries = (typeof input === "string" ? input.split(/[\s,]+/) : input).map(normaliseHandle).filter(Boolean);
  const unique = [...new Set(entries)];
  if (required && unique.length === 0) throw invalid("Say who decided.", { deciders: "required" });
  if (unique.length > MAX_DECIDERS)
    throw invalid(`Name at most ${MAX_DECIDERS} people who decided.`, { deciders: `at most ${MAX_DECIDERS}` });
  for (const entry of unique) {
    if (entry.includes("@")) {
      if (!REMOTE_HANDLE.test(entry))
        throw invalid(`"@${entry}" is not a fediverse handle like @name@server.example.`, { deciders: `"@${entry}" is not a handle` });
      continue;
    }
    const person = await findLocal(entry);
    if (!person || person.kind !== "person")
      throw invalid(`There is no one here called @${entry}; for someone elsewhere write @name@server.`, {
        deciders: `no one here is @${entry}`,
      });
  }
  return unique;
}

/**
 * The posts that informed the record, each with a note of how. A reply the
 * record received keeps its author, so they can be told; any other post is
 * a link. Acknowledgements already sent are kept.
 */
export function checkInputs(input: { uri: string; note: string }[], existing: InformedBy[], citable: CitableReply[]): InformedBy[] {
  const filled = input.map((i) => ({ uri: (i.uri ?? "").trim(), note: (i.note ?? "").trim() })).filter((i) => i.uri || i.note);
  if (filled.length > MAX_INPUTS) throw invalid(`A record may cite at most ${MAX_INPUTS} posts.`, { informedBy: `at most ${MAX_INPUTS}` });
  const replies = new Map(citable.map((r) => [r.uri, r]));
  const seen = new Set<string>();
  const result: InformedBy[] = [];
  for (const { uri, note } of filled) {
    if (!/^https?:\/\//.test(uri) || !URL.canParse(uri))
      throw invalid("Each post that informed the record needs its web address (https://…).", { informedBy: "a web address" });
    if (!note) throw invalid("Say how each cited post informed the record.", { informedBy: "say how it informed the record" });
    if (note.length > LIMITS.note)
      throw invalid(`Each note may be at most ${LIMITS.note} characters.`, { informedBy: `at most ${LIMITS.note} characters` });
    if (seen.has(uri)) continue;
    seen.add(uri);
    const reply = replies.get(uri);
    const before = existing.find((e) => e.uri === uri);
    result.push({
      uri,
      url: reply?.url ?? before?.url ?? uri,
      note,
      authorUri: reply?.authorUri ?? before?.authorUri ?? null,
      authorName: reply?.authorName ?? before?.authorName ?? null,
      acknowledgementId: before?.acknowledgementId ?? null,
    });
  }
  return result;
}

/** A local record's id from its id or its address on this instance (a copied address may carry ?… or #…). */
export function localDecisionId(reference: string, origin: string): string | null {
  const text = reference.trim();
  if (!URL.canParse(text)) return text || null;
  const url = new URL(text);
  const match = /^\/decisions\/([0-9a-f-]{36})$/.exec(url.pathname);
  return url.origin === new URL(origin).origin && match ? match[1]! : null;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The names of the fields a change touches, for the history. */
export function changedFields(before: Decision, after: Decision & { title?: string | null; tags?: string[] }): string[] {
  const pairs: [string, unknown, unknown][] = [
    ["title", before.post.title, after.title ?? before.post.title],
    ["tags", before.post.tags, after.tags ?? before.post.tags],
    ["question", before.question, after.question],
    ["context", before.context, after.context],
    ["options", before.options, after.options],
    ["decision", before.decision, after.decision],
    ["rationale", before.rationale, after.rationale],
    ["consequences", before.consequences, after.consequences],
    ["deciders", before.deciders, after.deciders],
    ["informed by", before.informedBy.map((i) => [i.uri, i.note]), after.informedBy.map((i) => [i.uri, i.note])],
  ];
  return pairs.filter(([, x, y]) => !sameJson(x, y)).map(([name]) => name);
}
