import { and, count, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { conflict } from "../../domain/errors.ts";
import type { ReactionKind, Reply } from "../../domain/types.ts";
import { toRemotePost, toReply, withMillis } from "../mappers.ts";
import type { InteractionRepository } from "../repositories.ts";
import { authorNotBlocked, notBlockedAccount, notOnBlockedDomain } from "./blocked-hosts.ts";
import { enqueueEvents } from "./events.ts";
import { keyset } from "./keyset.ts";
import { excludedFor, placeholdersFor, prepared, shapeOf } from "./prepared.ts";
import type { Unit } from "./unit.ts";

const alreadyDone = () => conflict("That has already been done.");

export function interactionRepository(unit: Unit): InteractionRepository {
  const { db } = unit;
  const { communityBlocks, communityPosts, followings, outgoingReactions, posts, reactions, remoteActors, remotePosts, replies } =
    unit.tables;

  /**
   * A reply from a blocked domain (by its address or its author's), by a
   * blocked account, or by an account blocked from the post's community, is
   * left out while the block lasts.
   */
  const notBlocked = () => and(notOnBlockedDomain(replies.uri), authorNotBlocked(replies.remoteActorId), notBlockedFromCommunity());

  const notBlockedFromCommunity = () =>
    sql`not exists (select 1 from ${communityBlocks} cb join ${posts} p on p.community_id = cb.community_id join ${remoteActors} ra on ra.uri = cb.actor_uri where p.id = ${replies.postId} and ra.id = ${replies.remoteActorId})`;

  /** Held replies to the posts of these communities (or of any). */
  const heldIn = (communityIds: number[] | "all") =>
    and(
      eq(replies.state, "held"),
      notBlocked(),
      communityIds === "all"
        ? undefined
        : inArray(
            replies.postId,
            db
              .select({ id: posts.id })
              .from(posts)
              .where(inArray(posts.communityId, communityIds.length > 0 ? communityIds : [-1])),
          ),
    );

  async function selectReplies(where: SQL | undefined): Promise<Reply[]> {
    const rows = await db
      .select()
      .from(replies)
      .leftJoin(remoteActors, eq(remoteActors.id, replies.remoteActorId))
      .where(where)
      .orderBy(replies.publishedAt);
    return rows.map(toReply);
  }

  const repository: InteractionRepository = {
    async saveReply(reply) {
      const values = withMillis(reply);
      await unit.write((db) =>
        prepared(db, `reply_save:${shapeOf(values)}`, (db, name) =>
          db
            .insert(replies)
            .values(placeholdersFor(values))
            .onConflictDoUpdate({
              target: replies.uri,
              set: excludedFor(replies, { contentHtml: values.contentHtml, updatedAt: values.updatedAt }),
            })
            .prepare(name),
        ).execute(values),
      );
    },

    async approveReply(uri, authorizationId) {
      const changed = await unit.write((db) =>
        db
          .update(replies)
          .set({ state: "visible", authorizationId })
          .where(and(eq(replies.uri, uri), eq(replies.state, "held")))
          .returning({ uri: replies.uri }),
      );
      return changed.length > 0;
    },

    async findReplyByAuthorization(authorizationId) {
      return (await selectReplies(eq(replies.authorizationId, authorizationId)))[0] ?? null;
    },

    async heldReplies(communityIds, limit) {
      const rows = await db
        .select()
        .from(replies)
        .leftJoin(remoteActors, eq(remoteActors.id, replies.remoteActorId))
        .where(heldIn(communityIds))
        .orderBy(replies.publishedAt, replies.id)
        .limit(limit);
      return rows.map(toReply);
    },

    async countHeldReplies(communityIds) {
      const [row] = await db.select({ n: count() }).from(replies).where(heldIn(communityIds));
      return row?.n ?? 0;
    },

    async hasTakenPart(communityId, remoteActorUri) {
      const author = db.select({ id: remoteActors.id }).from(remoteActors).where(eq(remoteActors.uri, remoteActorUri));
      const [reply] = await db
        .select({ id: replies.id })
        .from(replies)
        .innerJoin(posts, eq(posts.id, replies.postId))
        .where(and(eq(posts.communityId, communityId), eq(replies.state, "visible"), inArray(replies.remoteActorId, author)))
        .limit(1);
      if (reply) return true;
      const [post] = await db
        .select({ uri: communityPosts.postUri })
        .from(communityPosts)
        .where(and(eq(communityPosts.communityId, communityId), inArray(communityPosts.remoteActorId, author)))
        .limit(1);
      return post !== undefined;
    },

    async findReplyByUri(uri) {
      const query = prepared(db, "reply_by_uri", (db, name) =>
        db
          .select()
          .from(replies)
          .leftJoin(remoteActors, eq(remoteActors.id, replies.remoteActorId))
          .where(eq(replies.uri, sql.placeholder("uri")))
          .prepare(name),
      );
      const [row] = await query.execute({ uri });
      return row ? toReply(row) : null;
    },

    async replyStateByUri(uri) {
      const query = prepared(db, "reply_state_by_uri", (db, name) =>
        db
          .select({ state: replies.state, postId: replies.postId })
          .from(replies)
          .where(eq(replies.uri, sql.placeholder("uri")))
          .prepare(name),
      );
      const [row] = await query.execute({ uri });
      return row ?? null;
    },

    async updateReply(uri, contentHtml, updatedAt) {
      await unit.write((db) => db.update(replies).set({ contentHtml, updatedAt: updatedAt.getTime() }).where(eq(replies.uri, uri)));
    },

    async deleteReply(uri) {
      await unit.write((db) => db.delete(replies).where(eq(replies.uri, uri)));
    },

    async replies(postId, states = ["visible"]) {
      const query = prepared(db, `replies_to_post_${[...states].sort().join("_")}`, (db, name) =>
        db
          .select()
          .from(replies)
          .leftJoin(remoteActors, eq(remoteActors.id, replies.remoteActorId))
          .where(and(eq(replies.postId, sql.placeholder("postId")), inArray(replies.state, states), notBlocked()))
          .orderBy(replies.publishedAt)
          .prepare(name),
      );
      return (await query.execute({ postId })).map(toReply);
    },

    async countReplies(postId, states = ["visible"]) {
      const [row] = await db
        .select({ n: count() })
        .from(replies)
        .where(and(eq(replies.postId, postId), inArray(replies.state, states), notBlocked()));
      return row?.n ?? 0;
    },

    async setReplyState(uri, state) {
      const changed = await unit.write((db) =>
        db.update(replies).set({ state }).where(eq(replies.uri, uri)).returning({ uri: replies.uri }),
      );
      return changed.length > 0;
    },

    async addReaction(activityUri, postId, remoteActorId, kind) {
      await unit.write((db) => db.insert(reactions).values({ activityUri, postId, remoteActorId, kind }).onConflictDoNothing());
    },

    async removeReaction(match) {
      const where = match.activityUri
        ? and(
            eq(reactions.activityUri, match.activityUri),
            eq(reactions.remoteActorId, match.remoteActorId),
            eq(reactions.kind, match.kind),
          )
        : and(eq(reactions.postId, match.postId ?? ""), eq(reactions.remoteActorId, match.remoteActorId), eq(reactions.kind, match.kind));
      const removed = await unit.write((db) => db.delete(reactions).where(where).returning({ uri: reactions.activityUri }));
      return removed.length > 0;
    },

    async countReactions(postId) {
      const query = prepared(db, "reaction_counts", (db, name) =>
        db
          .select({ kind: reactions.kind, n: count() })
          .from(reactions)
          // Likes and boosts from a blocked account or domain are not counted while the block lasts.
          .where(and(eq(reactions.postId, sql.placeholder("postId")), authorNotBlocked(reactions.remoteActorId)))
          .groupBy(reactions.kind)
          .prepare(name),
      );
      const rows = await query.execute({ postId });
      const of = (kind: ReactionKind) => rows.find((r) => r.kind === kind)?.n ?? 0;
      return { likes: of("like"), announces: of("announce") };
    },

    async reactors(postId, kind) {
      const rows = await db
        .select({ uri: remoteActors.uri })
        .from(reactions)
        .innerJoin(remoteActors, eq(remoteActors.id, reactions.remoteActorId))
        .where(and(eq(reactions.postId, postId), eq(reactions.kind, kind), authorNotBlocked(reactions.remoteActorId)))
        .orderBy(reactions.createdAt);
      return rows.map((r) => r.uri);
    },

    async saveRemotePost(post) {
      const values = withMillis(post);
      const { uri: _uri, announcedBy: _announcedBy, ...changes } = values;
      await unit.write((db) => db.insert(remotePosts).values(values).onConflictDoUpdate({ target: remotePosts.uri, set: changes }));
    },

    async findRemotePost(uri) {
      const [row] = await db
        .select()
        .from(remotePosts)
        .leftJoin(remoteActors, eq(remoteActors.id, remotePosts.remoteActorId))
        .where(eq(remotePosts.uri, uri));
      return row ? toRemotePost(row) : null;
    },

    async markRemotePostDeleted(uri, deletedAt) {
      await unit.write((db) =>
        db.update(remotePosts).set({ deletedAt: deletedAt.getTime(), contentHtml: "" }).where(eq(remotePosts.uri, uri)),
      );
    },

    async forgetBoost(postUri, announcedBy) {
      const changed = await unit.write((db) =>
        db
          .update(remotePosts)
          .set({ announcedBy: null })
          .where(and(eq(remotePosts.uri, postUri), eq(remotePosts.announcedBy, announcedBy)))
          .returning({ uri: remotePosts.uri }),
      );
      return changed.length > 0;
    },

    async timeline(actorId, limit) {
      return (await repository.timelinePage(actorId, null, limit)).items;
    },

    async timelinePage(actorId, at, limit) {
      const page = keyset(remotePosts.publishedAt, remotePosts.uri, at, limit);
      const followed = and(eq(followings.actorId, actorId), eq(followings.state, "accepted"));
      const followedIds = db.select({ id: followings.remoteActorId }).from(followings).where(followed);
      const followedUris = db
        .select({ uri: remoteActors.uri })
        .from(followings)
        .innerJoin(remoteActors, eq(remoteActors.id, followings.remoteActorId))
        .where(followed);
      // A remote post is in the timeline when its author, or whoever announced it, is followed.
      const rows = await db
        .select()
        .from(remotePosts)
        .leftJoin(remoteActors, eq(remoteActors.id, remotePosts.remoteActorId))
        .where(
          and(
            isNull(remotePosts.deletedAt),
            or(inArray(remotePosts.remoteActorId, followedIds), inArray(remotePosts.announcedBy, followedUris)),
            // Nothing from a blocked domain (written or announced there) or a blocked account, while the block lasts.
            notOnBlockedDomain(remotePosts.uri),
            notOnBlockedDomain(remoteActors.uri),
            notOnBlockedDomain(remotePosts.announcedBy),
            notBlockedAccount(remoteActors.uri),
            page.where,
          ),
        )
        .orderBy(...page.orderBy)
        .limit(limit + 1);
      return page.page(rows, (r) => [r.remote_posts.publishedAt, r.remote_posts.uri], toRemotePost);
    },

    async addOutgoingReaction(reaction, events) {
      try {
        await unit.transaction(async (tx) => {
          const [done] = await tx.db
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
          await tx.db.insert(outgoingReactions).values(reaction);
          await enqueueEvents(tx, events);
        });
      } catch (error) {
        // A concurrent request did it between our check and our insert.
        if (unit.dialect.isUniqueViolation(error, "outgoing_reactions_once")) throw alreadyDone();
        throw error;
      }
    },

    async removeOutgoingReaction(actorId, objectUri, kind, eventsFor) {
      return unit.transaction(async (tx) => {
        const [removed] = await tx.db
          .delete(outgoingReactions)
          .where(and(eq(outgoingReactions.actorId, actorId), eq(outgoingReactions.objectUri, objectUri), eq(outgoingReactions.kind, kind)))
          .returning();
        if (!removed) return null;
        await enqueueEvents(tx, eventsFor(removed));
        return removed;
      });
    },

    async outgoingReactionsTo(actorId, objectUris) {
      if (objectUris.length === 0) return [];
      return db
        .select({ objectUri: outgoingReactions.objectUri, kind: outgoingReactions.kind })
        .from(outgoingReactions)
        .where(and(eq(outgoingReactions.actorId, actorId), inArray(outgoingReactions.objectUri, objectUris)));
    },

    async findOutgoingReaction(id) {
      const [row] = await db.select().from(outgoingReactions).where(eq(outgoingReactions.id, id));
      return row ?? null;
    },
  };
  return repository;
}
