import type { Decision } from "../domain/decisions.ts";
import type { InputOutcome } from "../domain/outcomes.ts";
import type { Actor } from "../domain/types.ts";
import { absoluteUrl, actorPath, decisionPath, notePath } from "../domain/urls.ts";
import type { Store } from "../storage/repositories.ts";
import { actorsById } from "./names.ts";

/** Who wrote a reply to a record, as its answer names them. */
export interface InputAuthor {
  /** Their actor URI (a person here: their profile's address). */
  uri: string;
  /** Where people see them. */
  url: string;
  /** "@bob@other.example", or "@alice" for someone here. */
  handle: string;
  name: string;
}

/** One reply a record received: its author, text, and what became of it. */
export interface ConsultationReply {
  uri: string;
  url: string;
  author: InputAuthor | null;
  contentHtml: string;
  publishedAt: Date;
  /** Whether it answers the record itself (input), rather than another reply (conversation; citable all the same). */
  answersRecord: boolean;
  /** Where it came from, for the impact figures. */
  origin: "here" | "connexo" | "elsewhere";
  /** Whether it arrived before the consultation closed (a record never opened for comment has no such time). */
  duringConsultation: boolean;
  outcome: InputOutcome | null;
}

/**
 * The replies a decision record received, oldest first, each with its
 * outcome: from elsewhere at any depth of its thread (shown, not held or
 * hidden), and from people here answering it (not hidden). Those that answer
 * the record itself are its input; answers to them (the community's own
 * notes among them) are conversation. Three queries, four with the names of
 * people here.
 */
export async function consultationInput(store: Store, origin: string, decision: Decision): Promise<ConsultationReply[]> {
  const url = absoluteUrl(origin, decisionPath(decision.post.id));
  const [remote, local, outcomes] = await Promise.all([
    store.interactions.replies(decision.post.id, ["visible"]),
    store.posts.listNotesReplyingTo([url]),
    store.outcomes.forDecisions([decision.post.id]),
  ]);
  const people = await actorsById(
    store,
    local.map((n) => n.authorId),
  );
  const outcomeOf = new Map(outcomes.map((o) => [o.replyUri, o]));
  // Replies cited (and thanked) before outcomes were kept informed the decision, with the note that thanked them.
  for (const citation of decision.informedBy) {
    if (outcomeOf.has(citation.uri) || !citation.acknowledgementId) continue;
    outcomeOf.set(citation.uri, {
      decisionId: decision.post.id,
      replyUri: citation.uri,
      kind: "informed",
      note: citation.note,
      referral: null,
      answerNoteId: citation.acknowledgementId,
      setBy: null,
      setAt: decision.decidedAt ?? decision.post.updatedAt ?? decision.post.createdAt,
    });
  }
  const closesAt = decision.consultationClosesAt?.getTime() ?? null;
  const during = (at: Date) => closesAt !== null && at.getTime() <= closesAt;
  const replies: ConsultationReply[] = [
    ...remote.map((r) => ({
      uri: r.uri,
      url: r.url ?? r.uri,
      author: r.author
        ? {
            uri: r.author.uri,
            url: r.author.url ?? r.author.uri,
            handle: r.author.handle ?? r.author.uri,
            name: r.author.name ?? r.author.handle ?? "someone elsewhere",
          }
        : null,
      contentHtml: r.contentHtml,
      publishedAt: r.publishedAt,
      answersRecord: r.inReplyTo === url,
      origin: r.fromConnexo ? ("connexo" as const) : ("elsewhere" as const),
      duringConsultation: during(r.publishedAt),
      outcome: outcomeOf.get(r.uri) ?? null,
    })),
    ...local.map((note) => {
      const uri = absoluteUrl(origin, notePath(note.id));
      const person = people.get(note.authorId);
      const publishedAt = note.publishedAt ?? note.createdAt;
      return {
        uri,
        url: uri,
        author: person ? localAuthor(origin, person) : null,
        contentHtml: note.contentHtml,
        publishedAt,
        answersRecord: true,
        origin: "here" as const,
        duringConsultation: during(publishedAt),
        outcome: outcomeOf.get(uri) ?? null,
      };
    }),
  ];
  return replies.sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
}

function localAuthor(origin: string, person: Actor): InputAuthor {
  const url = absoluteUrl(origin, actorPath(person.handle));
  return { uri: url, url, handle: `@${person.handle}`, name: person.displayName };
}

/**
 * Replies received while the consultation was open that still have no
 * outcome. Given the citations a change is about to make, those it cites
 * count as informed, and those it stops citing lose that outcome.
 */
export function withoutOutcome(replies: ConsultationReply[], citedNow: Set<string> | null = null): ConsultationReply[] {
  return replies.filter((r) => {
    if (!r.answersRecord || !r.duringConsultation) return false;
    if (citedNow === null) return !r.outcome?.kind;
    if (citedNow.has(r.uri)) return false;
    return !r.outcome?.kind || r.outcome.kind === "informed";
  });
}
