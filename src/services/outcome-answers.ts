import type { DomainEvent } from "../domain/events.ts";
import { type OutcomeKind, outcomeSentence, type Referral } from "../domain/outcomes.ts";
import { escapeHtml } from "../domain/sanitize.ts";
import type { Actor, Post } from "../domain/types.ts";
import { absoluteUrl, actorPath, localPostIdOf } from "../domain/urls.ts";
import type { Store } from "../storage/repositories.ts";
import type { ConsultationReply } from "./consultation-input.ts";
import { newNote } from "./new-post.ts";
import { notify } from "./notify.ts";

/** A decision record as its answers name it. */
export interface AnsweringRecord {
  post: Post;
  url: string;
  community: Actor;
}

/** What a reply's outcome becomes. `kind` null takes an outcome back (its citation was removed). */
export interface OutcomeChange {
  reply: ConsultationReply;
  kind: OutcomeKind | null;
  note: string;
  /** For a referral: where to, as typed (normalised), and whether that community is here. */
  referTo?: { target: string; here: Actor | null };
}

/**
 * Gives replies their outcomes, inside the caller's unit of work. Each
 * outcome is stored, and the reply's author is answered in public by the
 * record's community: one note mentioning them, written the first time and
 * updated (an `Update`, never a second message) each time the outcome
 * changes. A referral to a community here is filed there at once; one
 * elsewhere is left to the outbox, which looks the community up and sends
 * it. Returns the answering note of each reply, by the reply's URI.
 */
export async function applyOutcomes(
  tx: Store,
  record: AnsweringRecord,
  changes: OutcomeChange[],
  by: number | null,
  now: Date,
): Promise<Map<string, string>> {
  const answers = new Map<string, string>();
  // Read once, inside the unit of work: several replies may change at once.
  const stored = new Map((await tx.outcomes.forDecisions([record.post.id])).map((o) => [o.replyUri, o]));
  for (const change of changes) {
    const { reply } = change;
    // As stored, or (for a reply cited before outcomes were kept) as its citation says.
    const before = stored.get(reply.uri) ?? reply.outcome;
    const referral = referralFor(change, before?.referral ?? null, record.url);
    const unchanged =
      (before?.kind ?? null) === change.kind && (before?.note ?? "") === change.note && before?.referral?.target === referral?.target;
    if (unchanged || (!before && change.kind === null)) {
      if (before?.answerNoteId) answers.set(reply.uri, before.answerNoteId);
      continue;
    }
    const sentence = outcomeSentence({ kind: change.kind, note: change.note, referral }, record.post.title ?? "Decision record");
    const answer = await answerNote(tx, record, reply, sentence, before?.answerNoteId ?? null, now);
    answers.set(reply.uri, answer);
    await tx.outcomes.put({
      decisionId: record.post.id,
      replyUri: reply.uri,
      kind: change.kind,
      note: change.note,
      referral,
      answerNoteId: answer,
      setBy: by,
      setAt: now,
    });
    if (reply.origin === "here" && change.kind !== null) await notifyReplier(tx, record, reply, change.kind, by, now);
    const newReferral = referral && referral.target !== before?.referral?.target;
    if (newReferral && change.referTo?.here) await fileReferral(tx, record, reply, change.referTo.here, change.note, now);
    if (newReferral && !change.referTo?.here) {
      await tx.events.record([{ type: "outcome.referred", decisionId: record.post.id, replyUri: reply.uri }]);
    }
  }
  return answers;
}

/** The referral an outcome carries: the one it had if it still goes to the same place, a new one otherwise. */
function referralFor(change: OutcomeChange, before: Referral | null, recordUrl: string): Referral | null {
  if (change.kind !== "referred" || !change.referTo) return null;
  if (before && before.target === change.referTo.target) return before;
  const here = change.referTo.here;
  return here
    ? { target: change.referTo.target, uri: absoluteUrl(recordUrl, actorPath(here.handle)), name: here.displayName, state: "here" }
    : { target: change.referTo.target, uri: null, name: null, state: "sending" };
}

/** Writes the public answer to a reply's author, or updates the one already sent. Returns its id. */
async function answerNote(
  tx: Store,
  record: AnsweringRecord,
  reply: ConsultationReply,
  sentence: string,
  existingId: string | null,
  now: Date,
): Promise<string> {
  const mention = reply.author
    ? `<span class="h-card"><a href="${escapeHtml(reply.author.url)}" class="u-url mention">@<span>${escapeHtml(shortHandle(reply.author.handle))}</span></a></span> `
    : "";
  const link = `<p><a href="${escapeHtml(record.url)}">${escapeHtml(record.url)}</a></p>`;
  const text = { bodyMarkdown: `${sentence}\n\n${record.url}`, contentHtml: `<p>${mention}${escapeHtml(sentence)}</p>${link}` };
  const existing = existingId ? await tx.posts.findById(existingId) : null;
  if (existing && existing.state === "published") {
    const updated: Post = { ...existing, ...text, updatedAt: now, version: existing.version + 1 };
    const events: DomainEvent[] = [{ type: "post.updated", postId: updated.id, version: updated.version }];
    await tx.posts.update(updated, events);
    return updated.id;
  }
  const note = newNote({ authorId: record.community.id, inReplyTo: reply.uri, ...text }, now);
  await tx.posts.insert(note, [{ type: "post.published", postId: note.id }]);
  return note.id;
}

/** Tells a person here what became of their reply (a note written here), unless they set the outcome themselves. */
async function notifyReplier(
  tx: Store,
  record: AnsweringRecord,
  reply: ConsultationReply,
  kind: OutcomeKind,
  by: number | null,
  now: Date,
) {
  const noteId = localPostIdOf(reply.uri, record.url);
  const note = noteId ? await tx.posts.findById(noteId) : null;
  if (!note || note.authorId === by) return;
  await notify(tx, {
    recipient: note.authorId,
    kind: "outcome",
    // Each change of outcome is news of its own.
    source: `${reply.uri}#outcome-${now.getTime()}`,
    postId: note.id,
    subjectUri: record.url,
    actor: { id: record.community.id },
    details: { title: record.post.title ?? "Decision record", outcome: kind },
    at: now,
  });
}

/** "@bob@other.example" → "bob": how a mention reads (as Mastodon writes them). */
const shortHandle = (handle: string) => handle.replace(/^@/, "").split("@")[0] || handle;

/** Files a referred reply with a community here, once. */
async function fileReferral(tx: Store, record: AnsweringRecord, reply: ConsultationReply, to: Actor, note: string, now: Date) {
  await tx.outcomes.addReferred({
    communityId: to.id,
    objectUri: reply.uri,
    objectUrl: reply.url,
    authorUri: reply.author?.uri ?? null,
    authorName: reply.author?.name ?? null,
    contentHtml: reply.contentHtml,
    note,
    referredByUri: absoluteUrl(record.url, actorPath(record.community.handle)),
    referredByName: record.community.displayName,
    recordUri: record.url,
    receivedAt: now,
  });
}
