import { and, count, desc, eq, inArray, isNull, or } from "drizzle-orm";
import { conflict } from "../../domain/errors.ts";
import type { DomainEvent } from "../../domain/events.ts";
import type { OutgoingReaction, ReactionKind, RemotePostInput, Reply, ReplyState } from "../../domain/types.ts";
import { toRemotePost, toReply, withMillis } from "../mappers.ts";
import type { InteractionRepository } from "../repositories.ts";
import type { PgDrizzle } from "./database.ts";
import { isUniqueViolation } from "./errors.ts";
import { enqueueEvents } from "./events.ts";
import { followings, outgoingReactions, reactions, remoteActors, remotePosts, replies } from "./schema.ts";

const alreadyDone = () => conflict("That has already been done.");

export class PostgresInteractionRepository implements InteractionRepository {
  constructor(private readonly db: PgDrizzle) {}

  async saveReply(reply: Omit<Reply, "id" | "author" | "state"> & { remoteActorId: number | null }) {
    const values = withMillis(reply);
    await this.db
      .insert(replies)
      .values(values)
      .onConflictDoUpdate({ target: replies.uri, set: { contentHtml: values.contentHtml, updatedAt: values.updatedAt } });
  }

  async findReplyByUri(uri: string) {
    return (await this.selectReplies(eq(replies.uri, uri)))[0] ?? null;
  }

  async updateReply(uri: string, contentHtml: string, updatedAt: Date) {
    await this.db.update(replies).set({ contentHtml, updatedAt: updatedAt.getTime() }).where(eq(replies.uri, uri));
  }

  async deleteReply(uri: string) {
    await this.db.delete(replies).where(eq(replies.uri, uri));
  }

  async replies(postId: string, states: ReplyState[] = ["visible"]) {
    return this.selectReplies(and(eq(replies.postId, postId), inArray(replies.state, states)));
  }

  async countReplies(postId: string) {
    const [row] = await this.db
      .select({ n: count() })
      .from(replies)
      .where(and(eq(replies.postId, postId), eq(replies.state, "visible")));
    return row?.n ?? 0;
  }

  private async selectReplies(where: ReturnType<typeof and>): Promise<Reply[]> {
    const rows = await this.db
      .select()
      .from(replies)
      .leftJoin(remoteActors, eq(remoteActors.id, replies.remoteActorId))
      .where(where)
      .orderBy(replies.publishedAt);
    return rows.map(toReply);
  }

  async addReaction(activityUri: string, postId: string, remoteActorId: number, kind: ReactionKind) {
    await this.db.insert(reactions).values({ activityUri, postId, remoteActorId, kind }).onConflictDoNothing();
  }

  async removeReaction(match: { activityUri?: string; postId?: string; remoteActorId: number; kind: ReactionKind }) {
    const where = match.activityUri
      ? and(eq(reactions.activityUri, match.activityUri), eq(reactions.remoteActorId, match.remoteActorId), eq(reactions.kind, match.kind))
      : and(eq(reactions.postId, match.postId ?? ""), eq(reactions.remoteActorId, match.remoteActorId), eq(reactions.kind, match.kind));
    const result = await this.db.delete(reactions).where(where);
    return (result.rowCount ?? 0) > 0;
  }

  async countReactions(postId: string) {
    const rows = await this.db
      .select({ kind: reactions.kind, n: count() })
      .from(reactions)
      .where(eq(reactions.postId, postId))
      .groupBy(reactions.kind);
    const of = (kind: ReactionKind) => rows.find((r) => r.kind === kind)?.n ?? 0;
    return { likes: of("like"), announces: of("announce") };
  }

  async reactors(postId: string, kind: ReactionKind) {
    const rows = await this.db
      .select({ uri: remoteActors.uri })
      .from(reactions)
      .innerJoin(remoteActors, eq(remoteActors.id, reactions.remoteActorId))
      .where(and(eq(reactions.postId, postId), eq(reactions.kind, kind)))
      .orderBy(reactions.createdAt);
    return rows.map((r) => r.uri);
  }

  async saveRemotePost(post: RemotePostInput) {
    const values = withMillis(post);
    const { uri: _uri, announcedBy: _announcedBy, ...changes } = values;
    await this.db.insert(remotePosts).values(values).onConflictDoUpdate({ target: remotePosts.uri, set: changes });
  }

  async findRemotePost(uri: string) {
    const [row] = await this.db
      .select()
      .from(remotePosts)
      .leftJoin(remoteActors, eq(remoteActors.id, remotePosts.remoteActorId))
      .where(eq(remotePosts.uri, uri));
    return row ? toRemotePost(row) : null;
  }

  async markRemotePostDeleted(uri: string, deletedAt: Date) {
    await this.db.update(remotePosts).set({ deletedAt: deletedAt.getTime(), contentHtml: "" }).where(eq(remotePosts.uri, uri));
  }

  async timeline(actorId: number, limit: number) {
    const followed = and(eq(followings.actorId, actorId), eq(followings.state, "accepted"));
    const followedIds = this.db.select({ id: followings.remoteActorId }).from(followings).where(followed);
    const followedUris = this.db
      .select({ uri: remoteActors.uri })
      .from(followings)
      .innerJoin(remoteActors, eq(remoteActors.id, followings.remoteActorId))
      .where(followed);
    // A remote post is in the timeline when its author, or whoever announced it, is followed.
    const rows = await this.db
      .select()
      .from(remotePosts)
      .leftJoin(remoteActors, eq(remoteActors.id, remotePosts.remoteActorId))
      .where(
        and(
          isNull(remotePosts.deletedAt),
          or(inArray(remotePosts.remoteActorId, followedIds), inArray(remotePosts.announcedBy, followedUris)),
        ),
      )
      .orderBy(desc(remotePosts.publishedAt))
      .limit(limit);
    return rows.map(toRemotePost);
  }

  async addOutgoingReaction(reaction: OutgoingReaction, events: DomainEvent[]) {
    try {
      await this.db.transaction(async (tx) => {
        const [done] = await tx
          .select({ id: outgoingReactions.id })
          .from(outgoingReactions)
          .where(
            and(
              eq(outgoingReactions.actorId, reaction.actorId),
              eq(outgoingReactions.objectUri, reaction.objectUri),
              eq(outgoingReactions.kind, reaction.kind),
            ),
          );
        if (done) throw alreadyDone();
        await tx.insert(outgoingReactions).values(reaction);
        await enqueueEvents(tx, events);
      });
    } catch (error) {
      // A concurrent request did it between our check and our insert.
      if (isUniqueViolation(error, "outgoing_reactions_once")) throw alreadyDone();
      throw error;
    }
  }

  async findOutgoingReaction(id: string) {
    const [row] = await this.db.select().from(outgoingReactions).where(eq(outgoingReactions.id, id));
    return row ?? null;
  }
}
