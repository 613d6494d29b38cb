import type { Clock } from "../domain/clock.ts";
import { conflict, forbidden, invalid, notFound } from "../domain/errors.ts";
import type { ModerationEntry, ModerationFilter } from "../domain/moderation.ts";
import { mayReplyHere } from "../domain/reply-policy.ts";
import type { Actor, Post, Reply } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import { actorsById, type ActorsById } from "./names.ts";
import { can } from "./permissions.ts";

/** The longest reason a moderator may give. */
const MAX_REASON = 500;
/** How many entries a page of the log shows. */
const LOG_PAGE = 50;

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
  constructor(
    private readonly store: Store,
    private readonly now: Clock,
  ) {}

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

  /** Hides a reply from everyone but those who may moderate it, saying why; `onPost`, if given, is the post it must answer. */
  async hideReply(acting: Actor, replyUri: string, reason: string, onPost?: string): Promise<Reply> {
    const why = (reason ?? "").trim();
    return this.store.transaction(async (tx) => {
      const { reply, post } = await this.moderatable(tx, acting, replyUri, onPost);
      if (!why) throw invalid("Say why the reply is hidden.", { reason: "required" });
      if (why.length > MAX_REASON)
        throw invalid(`A reason may be at most ${MAX_REASON} characters.`, { reason: `at most ${MAX_REASON} characters` });
      if (reply.state === "hidden") throw conflict("That reply is already hidden.");
      await tx.interactions.setReplyState(reply.uri, "hidden");
      await tx.moderationLog.record({
        at: new Date(this.now()),
        actorId: acting.id,
        communityId: post.communityId,
        action: "reply.hidden",
        subject: reply.uri,
        reason: why,
        details: { postId: post.id, from: reply.state },
      });
      return { ...reply, state: "hidden" };
    });
  }

  /** Shows a hidden reply again; `onPost`, if given, is the post it must answer. */
  async restoreReply(acting: Actor, replyUri: string, onPost?: string): Promise<Reply> {
    return this.store.transaction(async (tx) => {
      const { reply, post } = await this.moderatable(tx, acting, replyUri, onPost);
      if (reply.state !== "hidden") throw conflict("That reply is not hidden.");
      await tx.interactions.setReplyState(reply.uri, "visible");
      await tx.moderationLog.record({
        at: new Date(this.now()),
        actorId: acting.id,
        communityId: post.communityId,
        action: "reply.restored",
        subject: reply.uri,
        reason: "",
        details: { postId: post.id, from: reply.state },
      });
      return { ...reply, state: "visible" };
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

  /** The reply and the post it answers, if the person may moderate it. */
  private async moderatable(tx: Store, acting: Actor, replyUri: string, onPost?: string): Promise<{ reply: Reply; post: Post }> {
    const found = replyUri ? await tx.interactions.findReplyByUri(replyUri) : null;
    const reply = found && (onPost === undefined || found.postId === onPost) ? found : null;
    const post = reply ? await tx.posts.findById(reply.postId) : null;
    if (!reply || !post) throw notFound("There is no such reply.");
    if (!(await this.mayModerateReplies(post, acting, tx)))
      throw forbidden("Only those who moderate this post's community can hide or restore its replies.");
    return { reply, post };
  }
}
