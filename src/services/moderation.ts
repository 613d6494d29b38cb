import type { Clock } from "../domain/clock.ts";
import { conflict, forbidden, invalid, notFound } from "../domain/errors.ts";
import { MAX_MODERATION_REASON, type ModerationEntry, type ModerationFilter } from "../domain/moderation.ts";
import { mayReplyHere } from "../domain/reply-policy.ts";
import type { Actor, Post } from "../domain/types.ts";
import { localPostIdOf } from "../domain/urls.ts";
import type { Store } from "../storage/repositories.ts";
import { actorsById, type ActorsById } from "./names.ts";
import { can } from "./permissions.ts";
import { threadRootOf } from "./thread-root.ts";

/** How many entries a page of the log shows. */
const LOG_PAGE = 50;

/** A reply a moderator acts on: from elsewhere (a row of replies) or a note written here, in a post's thread. */
type Moderated = { uri: string; post: Post; hidden: boolean } & ({ kind: "remote" } | { kind: "local"; noteId: string });

/** A page of the moderation log, with the people and communities it names. */
export interface ModerationLogPage {
  entries: ModerationEntry[];
  /** The people who acted and the communities concerned. */
  names: ActorsById;
  hasMore: boolean;
}

/**
 * Moderating replies from anywhere: hiding one (with a reason) and restoring
 * it. Every action is kept in the moderation log, which only the instance's
 * administrators read.
 */
export class ModerationService {
  private readonly origin: string;

  constructor(
    private readonly store: Store,
    private readonly now: Clock,
    origin: string,
  ) {
    this.origin = new URL(origin).origin;
  }

  /**
   * Whether this person may hide and restore the replies to this post: the
   * instance's administrators; in a community, those who moderate it; for a
   * post in none, its author. One query at most.
   */
  async mayModerateReplies(
    post: Pick<Post, "authorId" | "communityId">,
    person: Actor | null,
    store: Store = this.store,
  ): Promise<boolean> {
    if (!person || person.kind !== "person" || person.deactivatedAt) return false;
    if (person.isAdmin) return true;
    if (post.communityId === null) return post.authorId === person.id;
    return can(await store.actors.membership(post.communityId, person.id), "moderate");
  }

  /**
   * Whether this person may reply here to this post, under its community's
   * reply policy (see mayReplyHere). One query for a post in a community whose
   * policy limits people here, two at most.
   */
  async mayReply(post: Pick<Post, "authorId" | "communityId">, person: Actor | null, store: Store = this.store): Promise<boolean> {
    if (!person || person.kind !== "person" || person.deactivatedAt) return false;
    if (post.communityId === null) return true;
    const community = await store.actors.findById(post.communityId);
    const policy = community?.replyPolicy ?? "open";
    if (policy === "open" || policy === "newcomers") return true;
    const role = person.isAdmin ? null : await store.actors.membership(post.communityId, person.id);
    return mayReplyHere(policy, {
      isPostAuthor: post.authorId === person.id,
      isMember: role !== null,
      moderates: person.isAdmin || can(role, "moderate"),
    });
  }

  /**
   * Hides a reply (from elsewhere, or a note written here) from everyone but
   * those who may moderate it, saying why; `onPost`, if given, is the post it
   * must answer. Part of `store`'s transaction when given one.
   */
  async hideReply(acting: Actor, replyUri: string, reason: string, onPost?: string, store: Store = this.store): Promise<void> {
    const why = (reason ?? "").trim();
    await store.transaction(async (tx) => {
      const target = await this.moderatable(tx, acting, replyUri, onPost);
      if (!why) throw invalid("Say why the reply is hidden.", { reason: "required" });
      if (why.length > MAX_MODERATION_REASON)
        throw invalid(`A reason may be at most ${MAX_MODERATION_REASON} characters.`, {
          reason: `at most ${MAX_MODERATION_REASON} characters`,
        });
      if (target.hidden) throw conflict("That reply is already hidden.");
      if (target.kind === "remote") await tx.interactions.setReplyState(target.uri, "hidden");
      else await tx.posts.setHidden(target.noteId, new Date(this.now()));
      await this.logged(tx, acting, target, "reply.hidden", why);
    });
  }

  /** Shows a hidden reply again; `onPost`, if given, is the post it must answer. */
  async restoreReply(acting: Actor, replyUri: string, onPost?: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const target = await this.moderatable(tx, acting, replyUri, onPost);
      if (!target.hidden) throw conflict("That reply is not hidden.");
      if (target.kind === "remote") await tx.interactions.setReplyState(target.uri, "visible");
      else await tx.posts.setHidden(target.noteId, null);
      await this.logged(tx, acting, target, "reply.restored", "");
    });
  }

  private async logged(tx: Store, acting: Actor, target: Moderated, action: "reply.hidden" | "reply.restored", reason: string) {
    await tx.moderationLog.record({
      at: new Date(this.now()),
      actorId: acting.id,
      communityId: target.post.communityId,
      action,
      subject: target.uri,
      reason,
      details: { postId: target.post.id, from: target.hidden ? "hidden" : "visible", ...(target.kind === "local" ? { local: true } : {}) },
    });
  }

  /** The moderation log, newest first, for the instance's administrators. Two queries. */
  async log(acting: Actor, filter: ModerationFilter = {}, page = 1): Promise<ModerationLogPage> {
    if (!acting.isAdmin || acting.deactivatedAt) throw forbidden("Only the instance's administrators can read the moderation log.");
    const offset = (Math.max(1, Math.floor(page)) - 1) * LOG_PAGE;
    const found = await this.store.moderationLog.list(filter, LOG_PAGE + 1, offset);
    const entries = found.slice(0, LOG_PAGE);
    const names = await actorsById(
      this.store,
      entries.flatMap((e) => [e.actorId, e.communityId].filter((id): id is number => id !== null)),
    );
    return { entries, names, hasMore: found.length > LOG_PAGE };
  }

  /**
   * The reply (from elsewhere, or a note written here) and the post whose
   * thread it is in, if the person may moderate it.
   */
  private async moderatable(tx: Store, acting: Actor, replyUri: string, onPost?: string): Promise<Moderated> {
    const noteId = replyUri ? localPostIdOf(replyUri, this.origin) : null;
    let target: Moderated | null = null;
    if (noteId) {
      const note = await tx.posts.findById(noteId);
      const post = note?.kind === "note" && note.state === "published" ? await threadRootOf(tx, this.origin, note) : null;
      if (note && post) target = { kind: "local", uri: replyUri, noteId, post, hidden: note.hiddenAt !== null };
    } else {
      const found = replyUri ? await tx.interactions.findReplyByUri(replyUri) : null;
      // Held replies are approved or refused from the queue; refused ones are never shown.
      if (found?.state === "held") throw conflict("That reply waits for approval: approve or refuse it from the moderation queue.");
      const reply = found?.state === "refused" ? null : found;
      const post = reply ? await tx.posts.findById(reply.postId) : null;
      if (reply && post) target = { kind: "remote", uri: reply.uri, post, hidden: reply.state === "hidden" };
    }
    if (!target || (onPost !== undefined && target.post.id !== onPost)) throw notFound("There is no such reply.");
    if (!(await this.mayModerateReplies(target.post, acting, tx)))
      throw forbidden("Only those who moderate this post's community can hide or restore its replies.");
    return target;
  }
}
