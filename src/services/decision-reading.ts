import type { Decision, DecisionFilter, DecisionHistoryEntry, DecisionStatus } from "../domain/decisions.ts";
import type { Actor, Post } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import { UntilCommit } from "../storage/until-commit.ts";
import type { DecisionService } from "./decisions.ts";
import type { ConsultationReply } from "./consultation-input.ts";
import type { ModerationService } from "./moderation.ts";
import type { OutcomeService } from "./outcomes.ts";
import { actorsById, namesOf, type ActorsById } from "./names.ts";
import { threadOf, type ThreadEntry } from "./threads.ts";

/** Someone who decided: a person here (found by their handle), or someone elsewhere, named by their handle. */
export interface DeciderEntry {
  handle: string;
  person: Actor | null;
}

/** Another local record a record names (it supersedes it, or is superseded by it), by id and title. */
export interface RelatedRecord {
  id: string;
  title: string;
}

/** Everything a decision record's page shows besides the record itself. */
export interface RecordPage {
  community: Actor;
  author: Actor | null;
  history: DecisionHistoryEntry[];
  /** The people named in the history. */
  people: ActorsById;
  deciders: DeciderEntry[];
  supersededBy: RelatedRecord | null;
  supersedes: RelatedRecord[];
  thread: ThreadEntry[];
  /** Whether the viewer may edit the record and move it between states. */
  mayChange: boolean;
  /** Whether the viewer may hide and restore its replies (and so sees hidden ones, marked). */
  mayModerate: boolean;
  /** Whether the viewer may reply here, under the community's reply policy. */
  mayReply: boolean;
  /** The replies that answer the record, each with what became of it. */
  input: ConsultationReply[];
  /** Whether the viewer may set those outcomes. */
  maySetOutcomes: boolean;
}

/** A page of a register, with the names its list shows. */
export interface RegisterPage {
  items: Decision[];
  hasMore: boolean;
  counts: Record<DecisionStatus, number>;
  names: ActorsById;
}

/** The latest changes to records, newest first, with who made them (the community, for the instance's own moves). */
export interface RecordChanges {
  changes: { entry: DecisionHistoryEntry; decision: Decision }[];
  actors: ActorsById;
}

/**
 * What readers see of decision records: a record's page, the registers, the
 * feed of changes. Each is read with a fixed number of queries, however many
 * records, people or replies it names.
 */
export class DecisionReadingService {
  constructor(
    private readonly store: Store,
    private readonly decisions: DecisionService,
    /** The instance's public origin: replies name the record they answer by URL. */
    private readonly origin: string,
    private readonly moderation: ModerationService,
    private readonly outcomes: OutcomeService,
  ) {
    this.#registerPages = new UntilCommit(store.commitVersion, 100);
  }

  /** Register pages, by filter and page number, kept until the next commit: the same for every reader. */
  readonly #registerPages: UntilCommit<RegisterPage>;

  /**
   * A published record's page: sixteen queries at most, plus one for each
   * level of notes written here in its thread (threadOf).
   */
  async recordPage(decision: Decision, viewer: Actor | null): Promise<RecordPage> {
    const { post } = decision;
    const localDeciders = decision.deciders.filter((handle) => !handle.includes("@"));
    const relatedIds = [...(decision.supersededBy ? [decision.supersededBy] : []), ...decision.supersedes];
    const mayModerate = await this.moderation.mayModerateReplies(post, viewer);
    const [history, thread, mayChange, deciders, related, mayReply, input, maySetOutcomes] = await Promise.all([
      this.store.decisions.history(post.id),
      threadOf(this.store, this.origin, post, mayModerate),
      this.decisions.mayChange(post.id, viewer),
      this.actorsByHandle(localDeciders),
      this.postsById(relatedIds),
      this.moderation.mayReply(post, viewer),
      this.outcomes.input(decision),
      this.outcomes.maySet(decision, viewer),
    ]);
    const actors = await actorsById(this.store, [
      post.communityId!,
      post.authorId,
      ...history.flatMap((h) => (h.actorId === null ? [] : [h.actorId])),
    ]);
    const relatedRecord = (id: string): RelatedRecord | null => {
      const found = related.get(id);
      return found ? { id, title: found.title ?? "Decision record" } : null;
    };
    const community = actors.get(post.communityId!);
    if (!community) throw new Error(`Decision record ${post.id} has no community`);
    return {
      community,
      author: actors.get(post.authorId) ?? null,
      history,
      people: actors,
      deciders: decision.deciders.map((handle) => ({ handle, person: deciders.get(handle) ?? null })),
      supersededBy: decision.supersededBy ? relatedRecord(decision.supersededBy) : null,
      supersedes: decision.supersedes.map(relatedRecord).filter((r) => r !== null),
      thread,
      mayChange,
      mayModerate,
      mayReply,
      input,
      maySetOutcomes,
    };
  }

  /**
   * A page of the register for this filter, with the names of the records'
   * communities and authors: four queries, or none while nothing has been
   * committed since the same page was read. What it returns is shared by
   * every reader until then: not to be changed.
   */
  async register(filter: DecisionFilter, page: number): Promise<RegisterPage> {
    return this.#registerPages.get(JSON.stringify([filter, page]), async () => {
      const result = await this.decisions.register(filter, page);
      return {
        ...result,
        names: await namesOf(
          this.store,
          result.items.map((d) => d.post),
        ),
      };
    });
  }

  /** The latest changes to published records (of one community, if given). Two queries. */
  async changes(communityId: number | null, limit: number): Promise<RecordChanges> {
    const changes = await this.store.decisions.recentHistory(communityId, limit);
    const actors = await actorsById(
      this.store,
      changes.map(({ entry, decision }) => entry.actorId ?? decision.post.communityId!),
    );
    return { changes, actors };
  }

  /** Local actors by handle (as stored), in one query; none asked, none looked up. */
  private async actorsByHandle(handles: string[]): Promise<Map<string, Actor>> {
    const found = handles.length === 0 ? [] : await this.store.actors.findByHandles([...new Set(handles)]);
    return new Map(found.map((a) => [a.handle, a]));
  }

  /** Local posts by id, in one query; none asked, none looked up. */
  private async postsById(ids: string[]): Promise<Map<string, Post>> {
    const found = ids.length === 0 ? [] : await this.store.posts.findByIds([...new Set(ids)]);
    return new Map(found.map((p) => [p.id, p]));
  }
}
