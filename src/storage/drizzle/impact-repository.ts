import { and, desc, eq, inArray, isNotNull, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { ConsultationScope, ImpactRepository } from "../repositories.ts";
import { authorNotBlocked, notOnBlockedDomain } from "./blocked-hosts.ts";
import type { Unit } from "./unit.ts";

/**
 * What the public impact pages read: closed consultations, the replies they
 * received and those replies' outcomes, and the latest outcomes for the feed.
 * Each method is one query, whatever the number of records: the records are
 * chosen by a subquery, not by a list of ids.
 */
export function impactRepository(unit: Unit): ImpactRepository {
  const { db } = unit;
  const { communityBlocks, decisions, posts, remoteActors, replies, replyOutcomes, actors } = unit.tables;
  const record = alias(posts, "record");
  const note = alias(posts, "note");

  /** Published records of the scope whose consultation has closed. */
  const inScope = (scope: ConsultationScope): SQL =>
    and(
      eq(posts.kind, "decision"),
      eq(posts.state, "published"),
      isNotNull(decisions.consultationClosesAt),
      lte(decisions.consultationClosesAt, scope.closedBy.getTime()),
      scope.communityId === null ? undefined : eq(posts.communityId, scope.communityId),
    )!;

  const recordIds = (scope: ConsultationScope) =>
    db.select({ id: posts.id }).from(posts).innerJoin(decisions, eq(decisions.postId, posts.id)).where(inScope(scope));

  /**
   * A reply from elsewhere still shown: visible, and not from a blocked
   * domain or account, nor from one blocked from the record's community
   * (as the record's page leaves them out).
   */
  const shownRemote = (): SQL =>
    and(
      eq(replies.state, "visible"),
      notOnBlockedDomain(replies.uri),
      authorNotBlocked(replies.remoteActorId),
      sql`not exists (select 1 from ${communityBlocks} cb join ${posts} p on p.community_id = cb.community_id join ${remoteActors} ra on ra.uri = cb.actor_uri where p.id = ${replies.postId} and ra.id = ${replies.remoteActorId})`,
    )!;

  return {
    async consultations(scope) {
      const rows = await db
        .select({
          id: posts.id,
          title: posts.title,
          communityId: posts.communityId,
          closesAt: decisions.consultationClosesAt,
          decidedAt: decisions.decidedAt,
          informedBy: decisions.informedBy,
        })
        .from(posts)
        .innerJoin(decisions, eq(decisions.postId, posts.id))
        .where(inScope(scope))
        .orderBy(decisions.consultationClosesAt, posts.id);
      return rows.map((row) => ({
        id: row.id,
        title: row.title ?? "Decision record",
        communityId: row.communityId!,
        closedAt: new Date(row.closesAt!),
        decidedAt: row.decidedAt === null ? null : new Date(row.decidedAt),
        informedBy: row.informedBy,
      }));
    },

    async remoteReplies(scope, recordUrlPrefix) {
      // Input is what answers the record itself; replies to replies are conversation.
      return db
        .select({ recordId: replies.postId, uri: replies.uri, fromConnexo: replies.fromConnexo })
        .from(replies)
        .where(
          and(
            inArray(replies.postId, recordIds(scope)),
            eq(replies.inReplyTo, sql`${recordUrlPrefix} || ${replies.postId}`),
            shownRemote(),
          ),
        );
    },

    async localReplies(scope, recordUrlPrefix) {
      // A note names the record it answers by its URL: the records' URLs are built here, in the same query.
      const recordUrls = db
        .select({ url: sql<string>`${recordUrlPrefix} || ${posts.id}` })
        .from(posts)
        .innerJoin(decisions, eq(decisions.postId, posts.id))
        .where(inScope(scope));
      return db
        .select({ id: note.id, inReplyTo: sql<string>`${note.inReplyTo}` })
        .from(note)
        .where(and(eq(note.kind, "note"), eq(note.state, "published"), isNull(note.hiddenAt), inArray(note.inReplyTo, recordUrls)));
    },

    async outcomes(scope) {
      return db
        .select({ recordId: replyOutcomes.decisionId, replyUri: replyOutcomes.replyUri, kind: replyOutcomes.kind })
        .from(replyOutcomes)
        .where(inArray(replyOutcomes.decisionId, recordIds(scope)));
    },

    async latestOutcomes(communityId, noteUrlPrefix, limit) {
      // A note's id is the end of its URL: the join looks it up by its primary key.
      const noteId = sql`substr(${replyOutcomes.replyUri}, ${noteUrlPrefix.length + 1})`;
      const noteAuthor = alias(actors, "note_author");
      const community = alias(actors, "community");
      const rows = await db
        .select({
          outcome: replyOutcomes,
          recordTitle: record.title,
          remoteName: remoteActors.name,
          remoteHandle: remoteActors.handle,
          localName: noteAuthor.displayName,
          communityHandle: community.handle,
          communityName: community.displayName,
        })
        .from(replyOutcomes)
        .innerJoin(record, eq(record.id, replyOutcomes.decisionId))
        .innerJoin(community, eq(community.id, record.communityId))
        .leftJoin(replies, and(eq(replies.uri, replyOutcomes.replyUri), eq(replies.postId, replyOutcomes.decisionId)))
        .leftJoin(remoteActors, eq(remoteActors.id, replies.remoteActorId))
        .leftJoin(note, and(sql`${replyOutcomes.replyUri} like ${`${noteUrlPrefix}%`}`, eq(note.id, noteId)))
        .leftJoin(noteAuthor, eq(noteAuthor.id, note.authorId))
        .where(
          and(
            isNotNull(replyOutcomes.kind),
            eq(record.state, "published"),
            communityId === null ? undefined : eq(record.communityId, communityId),
            // Only outcomes of replies still shown: one a moderator hid, or from an account since blocked, is not told again.
            or(
              and(isNotNull(replies.id), shownRemote()),
              and(isNotNull(note.id), eq(note.kind, "note"), eq(note.state, "published"), isNull(note.hiddenAt)),
            ),
          ),
        )
        .orderBy(desc(replyOutcomes.setAt), desc(replyOutcomes.replyUri))
        .limit(limit);
      return rows.map(({ outcome, recordTitle, remoteName, remoteHandle, localName, communityHandle, communityName }) => ({
        recordId: outcome.decisionId,
        recordTitle: recordTitle ?? "Decision record",
        replyUri: outcome.replyUri,
        kind: outcome.kind!,
        note: outcome.note,
        referral:
          outcome.referralTarget !== null && outcome.referralState !== null
            ? { target: outcome.referralTarget, uri: outcome.referralUri, name: outcome.referralName, state: outcome.referralState }
            : null,
        setAt: new Date(outcome.setAt),
        community: { handle: communityHandle, name: communityName },
        replyAuthor: localName ?? remoteName ?? (remoteHandle ? `@${remoteHandle.replace(/^@/, "")}` : null),
      }));
    },
  };
}
