import { invalid } from "../domain/errors.ts";
import { inputAuthorHandle, parseInputAuthor, type RecordReply } from "../domain/inputs.ts";
import type { InputOutcome, ReferredInput } from "../domain/outcomes.ts";
import type { Actor } from "../domain/types.ts";
import { absoluteUrl, DECISIONS_PATH, notePath } from "../domain/urls.ts";
import type { Store } from "../storage/repositories.ts";
import type { ActorService } from "./actors.ts";

/** How many entries a page of input lists; it says so when there are more. */
export const INPUT_LIMIT = 200;

/** One reply to a record here, with what became of it (null: nothing yet). */
export interface InputEntry extends RecordReply {
  /** Its id, as outcomes name it: a reply's URI, or a note's absolute URL. */
  uri: string;
  outcome: InputOutcome | null;
}

/** Someone's replies to this instance's decision records, newest first. */
export interface AuthorInput {
  /** Whose: `@name@host`, as looked up. */
  handle: string;
  entries: InputEntry[];
  /** Whether there were more than the page lists. */
  more: boolean;
}

/** What was referred to a community here, newest first. */
export interface ReferredPage {
  community: Actor;
  entries: ReferredInput[];
  more: boolean;
}

/**
 * What people can read of input to consultations: everything one person
 * replied to this instance's records, with each reply's outcome, and what was
 * referred to a community here. Both are public, and each is read in a fixed
 * number of queries however many entries it lists.
 */
export class InputService {
  constructor(
    private readonly store: Store,
    private readonly actors: ActorService,
    /** The instance's public origin: notes written here name the records they answer by URL. */
    private readonly origin: string,
  ) {}

  /**
   * The input of the account with this handle: `@name@host` for one elsewhere
   * (or here, when the host is this instance's), `@name` for someone here.
   * Three queries at most: the person here, their replies, the outcomes.
   */
  async byAuthor(rawHandle: string): Promise<AuthorInput> {
    const author = parseInputAuthor(rawHandle, this.origin);
    if (!author) {
      throw invalid("That is not a handle.", { author: "give a handle like @name@server.example, or @name for someone here" });
    }
    const handle = inputAuthorHandle(author, this.origin);
    const found =
      "here" in author ? await this.notesHere(author.here) : await this.store.inputs.repliesByHandle(author.elsewhere, INPUT_LIMIT + 1);
    const more = found.length > INPUT_LIMIT;
    const replies = found.slice(0, INPUT_LIMIT).map((reply) => {
      if (!("here" in author)) return { ...reply, uri: reply.id };
      // A note's id is its page.
      const uri = absoluteUrl(this.origin, notePath(reply.id));
      return { ...reply, uri, url: uri };
    });
    const outcomes = await this.store.outcomes.forReplies(replies.map((r) => r.uri));
    const byReply = new Map(outcomes.map((o) => [`${o.decisionId} ${o.replyUri}`, o]));
    const entries = replies.map((reply) => ({ ...reply, outcome: byReply.get(`${reply.record.id} ${reply.uri}`) ?? null }));
    return { handle, entries, more };
  }

  /** The notes a person here wrote in answer to records here; none when there is no such person. */
  private async notesHere(handle: string): Promise<RecordReply[]> {
    const person = await this.store.actors.findByHandle(handle);
    if (!person || person.kind !== "person") return [];
    return this.store.inputs.notesOnRecords(person.id, `${absoluteUrl(this.origin, DECISIONS_PATH)}/`, INPUT_LIMIT + 1);
  }

  /** What was referred to a community here, newest first; not found when the handle is not a community's. Two queries. */
  async referredTo(communityHandle: string): Promise<ReferredPage> {
    const community = await this.actors.require(communityHandle, "community");
    const found = await this.store.outcomes.referredTo(community.id, INPUT_LIMIT + 1);
    return { community, entries: found.slice(0, INPUT_LIMIT), more: found.length > INPUT_LIMIT };
  }
}
