import { and, count, desc, eq, inArray, isNull, or } from "drizzle-orm";
import { conflict } from "../../domain/errors.ts";
import type { DomainEvent } from "../../domain/events.ts";
import type { OutgoingReaction, ReactionKind, RemotePostInput, Reply, ReplyState } from "../../domain/types.ts";
import type { InteractionRepository } from "../repositories.ts";
import type { Drizzle, QueueSignal } from "./database.ts";
import { enqueueEvents } from "./events.ts";
import { toRemotePost, toReply, withMillis } from "../mappers.ts";
import { followings, outgoingReactions, reactions, remoteActors, remotePosts, replies } from "./schema.ts";

export class SqliteInteractionRepository implements InteractionRepository {
  constructor(
    private readonly db: Drizzle,
    private readonly signal: QueueSignal,
  ) {}

  async saveReply(reply: Omit<Reply, "id" | "author" | "state"> & { remoteActorId: number | null }) {
    const values = withMillis(reply);
    this.db
      .insert(replies)
      .values(values)
      .onConflictDoUpdate({ target: replies.uri, set: { contentHtml: values.contentHtml, updatedAt: values.updatedAt } })
      .run();
  }

  async findReplyByUri(uri: string) {
    return this.selectReplies(eq(replies.uri, uri))[0] ?? null;
  }

  async updateReply(uri: string, contentHtml: string, updatedAt: Date) {
    this.db.update(replies).set({ contentHtml, updatedAt: updatedAt.getTime() }).where(eq(replies.uri, uri)).run();
  }

  async deleteReply(uri: string) {
    this.db.delete(replies).where(eq(replies.uri, uri)).run();
  }

  async replies(postId: string, states: ReplyState[] = ["visible"]) {
    return this.selectReplies(and(eq(replies.postId, postId), inArray(replies.state, states)));
  }

  async countReplies(postId: string) {
    return (
      this.db
        .select({ n: count() })
        .from(replies)
        .where(and(eq(replies.postId, postId), eq(replies.state, "visible")))
        .get()?.n ?? 0
    );
  }

  private selectReplies(where: ReturnType<typeof and>): Reply[] {
    return this.db
      .select()
      .from(replies)
      .leftJoin(remoteActors, eq(remoteActors.id, replies.remoteActorId))
      .where(where)
      .orderBy(replies.publishedAt)
      .all()
      .map(toReply);
  }

  async addReaction(activityUri: string, postId: string, remoteActorId: number, kind: ReactionKind) {
    this.db.insert(reactions).values({ activityUri, postId, remoteActorId, kind }).onConflictDoNothing().run();
  }

  async removeReaction(match: { activityUri?: string; postId?: string; remoteActorId: number; kind: ReactionKind }) {
    const where = match.activityUri
      ? and(eq(reactions.activityUri, match.activityUri), eq(reactions.remoteActorId, match.remoteActorId), eq(reactions.kind, match.kind))
      : and(eq(reactions.postId, match.postId ?? ""), eq(reactions.remoteActorId, match.remoteActorId), eq(reactions.kind, match.kind));
    return this.db.delete(reactions).where(where).run().changes > 0;
  }

  async countReactions(postId: string) {
    const rows = this.db
      .select({ kind: reactions.kind, n: count() })
      .from(reactions)
      .where(eq(reactions.postId, postId))
      .groupBy(reactions.kind)
      .all();
    const of = (kind: ReactionKind) => rows.find((r) => r.kind === kind)?.n ?? 0;
    return { likes: of("like"), announces: of("announce") };
  }

  async reactors(postId: string, kind: ReactionKind) {
    return this.db
      .select({ uri: remoteActors.uri })
      .from(reactions)
      .innerJoin(remoteActors, eq(remoteActors.id, reactions.remoteActorId))
      .where(and(eq(reactions.postId, postId), eq(reactions.kind, kind)))
      .orderBy(reactions.createdAt)
      .all()
      .map((r) => r.uri);
  }

  async saveRemotePost(post: RemotePostInput) {
    const values = withMillis(post);
    const { uri: _uri, announcedBy: _announcedBy, ...changes } = values;
    this.db.insert(remotePosts).values(values).onConflictDoUpdate({ target: remotePosts.uri, set: changes }).run();
  }

  async findRemotePost(uri: string) {
    const row = this.db
      .select()
      .from(remotePosts)
      .leftJoin(remoteActors, eq(remoteActors.id, remotePosts.remoteActorId))
      .where(eq(remotePosts.uri, uri))
      .get();
    return row ? toRemotePost(row) : null;
  }

  async markRemotePostDeleted(uri: string, deletedAt: Date) {
    this.db.update(remotePosts).set({ deletedAt: deletedAt.getTime(), contentHtml: "" }).where(eq(remotePosts.uri, uri)).run();
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
    return this.db
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
      .limit(limit)
      .all()
      .map(toRemotePost);
  }

  async addOutgoingReaction(reaction: OutgoingReaction, events: DomainEvent[]) {
    this.db.transaction((tx) => {
      const done = tx
        .select({ id: outgoingReactions.id })
        .from(outgoingReactions)
        .where(
          and(
            eq(outgoingReactions.actorId, reaction.actorId),
            eq(outgoingReactions.objectUri, reaction.objectUri),
            eq(outgoingReactions.kind, reaction.kind),
          ),
        )
        .get();
      if (done) throw conflict("That has already been done.");
      tx.insert(outgoingReactions).values(reaction).run();
      enqueueEvents(tx, this.signal, events);
    });
  }

  async findOutgoingReaction(id: string) {
    return this.db.select().from(outgoingReactions).where(eq(outgoingReactions.id, id)).get() ?? null;
  }
}
