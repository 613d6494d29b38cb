import { impactReport, type Consultation, type ImpactReport, type PublishedOutcome, type ReplySource } from "../domain/impact.ts";
import type { OutcomeKind } from "../domain/outcomes.ts";
import { absoluteUrl, decisionPath, notePath } from "../domain/urls.ts";
import type { Store } from "../storage/repositories.ts";
import { actorsById, type ActorsById } from "./names.ts";

/** A public impact page's figures, with the names of the communities its decisions belong to. */
export interface ImpactPage {
  report: ImpactReport;
  communities: ActorsById;
  /** The time the figures were counted at: consultations closing later are not in them yet. */
  countedAt: Date;
}

/**
 * What the public impact pages show: for a community, or for every community
 * here, what its consultations received and what became of it, quarter by
 * quarter, and the latest outcomes for their feed. A page costs five queries
 * however many records, replies or outcomes it counts.
 */
export class ImpactService {
  constructor(
    private readonly store: Store,
    /** The instance's public origin: notes here name the record they answer by its URL. */
    private readonly origin: string,
    private readonly now: () => number,
  ) {}

  /** The figures of a community's consultations (or every community's, for null) that have closed by now. */
  async page(communityId: number | null): Promise<ImpactPage> {
    const countedAt = new Date(this.now());
    const scope = { communityId, closedBy: countedAt };
    const recordUrlPrefix = absoluteUrl(this.origin, decisionPath(""));
    const [records, remote, local, outcomes] = await Promise.all([
      this.store.impact.consultations(scope),
      this.store.impact.remoteReplies(scope, recordUrlPrefix),
      this.store.impact.localReplies(scope, recordUrlPrefix),
      this.store.impact.outcomes(scope),
    ]);
    const outcomeOf = new Map(outcomes.map((o) => [`${o.recordId} ${o.replyUri}`, o.kind]));
    const repliesOf = new Map<string, Consultation["replies"]>(records.map((r) => [r.id, []]));
    const add = (recordId: string, replyUri: string, source: ReplySource) =>
      repliesOf.get(recordId)?.push({ source, outcome: (outcomeOf.get(`${recordId} ${replyUri}`) ?? null) as OutcomeKind | null });
    for (const reply of remote) add(reply.recordId, reply.uri, reply.fromConnexo ? "connexo" : "elsewhere");
    for (const note of local) add(note.inReplyTo.slice(recordUrlPrefix.length), absoluteUrl(this.origin, notePath(note.id)), "here");
    const consultations: Consultation[] = records.map((r) => ({
      recordId: r.id,
      title: r.title,
      communityId: r.communityId,
      closedAt: r.closedAt,
      decidedAt: r.decidedAt,
      informedBy: r.informedBy,
      replies: repliesOf.get(r.id)!,
    }));
    const communities = await actorsById(this.store, new Set(records.map((r) => r.communityId)));
    return { report: impactReport(consultations), communities, countedAt };
  }

  /** The latest outcomes given to replies to a community's records (or any community's), newest first. One query. */
  latestOutcomes(communityId: number | null, limit: number): Promise<PublishedOutcome[]> {
    return this.store.impact.latestOutcomes(communityId, absoluteUrl(this.origin, notePath("")), limit);
  }
}
