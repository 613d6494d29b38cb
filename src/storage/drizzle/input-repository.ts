import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { RecordReply } from "../../domain/inputs.ts";
import type { InputRepository } from "../repositories.ts";
import { authorNotBlocked, notOnBlockedDomain } from "./blocked-hosts.ts";
import type { Unit } from "./unit.ts";

/** A row as both queries select it: the reply's own columns, then the record's. */
interface ReplyRow {
  id: string;
  url: string | null;
  contentHtml: string;
  publishedAt: number | null;
  recordId: string;
  recordTitle: string | null;
  status: RecordReply["record"]["status"];
}

const toRecordReply = (row: ReplyRow): RecordReply => ({
  id: row.id,
  url: row.url,
  contentHtml: row.contentHtml,
  publishedAt: new Date(row.publishedAt ?? 0),
  record: { id: row.recordId, title: row.recordTitle ?? "", status: row.status },
});

/** A handle as it may be stored, in lower case: `@user@host`, as federation keeps it, or without its first "@", which threads show as the same handle. */
const spellings = (handle: string): string[] => {
  const bare = handle.toLowerCase().replace(/^@/, "");
  return [`@${bare}`, bare];
};

/** Someone's replies to the instance's decision records: from elsewhere by handle, and notes written here. */
export function inputRepository(unit: Unit): InputRepository {
  const { db } = unit;
  const { communityBlocks, decisions, posts, remoteActors, replies } = unit.tables;
  // The record is `posts`; a note answering it is this second alias of the same table.
  const note = alias(posts, "note");
  const record = { recordId: posts.id, recordTitle: posts.title, status: decisions.status };

  return {
    async repliesByHandle(handle, limit) {
      const rows = await db
        .select({
          id: replies.uri,
          url: replies.url,
          contentHtml: replies.contentHtml,
          publishedAt: replies.publishedAt,
          ...record,
        })
        .from(replies)
        .innerJoin(remoteActors, eq(remoteActors.id, replies.remoteActorId))
        .innerJoin(posts, eq(posts.id, replies.postId))
        .innerJoin(decisions, eq(decisions.postId, posts.id))
        .where(
          and(
            inArray(sql`lower(${remoteActors.handle})`, spellings(handle)),
            eq(replies.state, "visible"),
            eq(posts.state, "published"),
            // Left out while a block lasts, as on the record's own page: the reply's domain, its author's, or the author blocked from the community.
            notOnBlockedDomain(replies.uri),
            authorNotBlocked(replies.remoteActorId),
            sql`not exists (select 1 from ${communityBlocks} where ${communityBlocks.communityId} = ${posts.communityId} and ${communityBlocks.actorUri} = ${remoteActors.uri})`,
          ),
        )
        .orderBy(desc(replies.publishedAt), desc(replies.id))
        .limit(limit);
      return rows.map(toRecordReply);
    },

    async notesOnRecords(authorId, recordsUrl, limit) {
      // The record's id is what follows `recordsUrl` in the note's inReplyTo: matched on the records' key, then checked whole.
      const idInUrl = sql`substr(${note.inReplyTo}, ${sql.raw(String(recordsUrl.length + 1))})`;
      const rows = await db
        .select({
          id: note.id,
          contentHtml: note.contentHtml,
          publishedAt: note.publishedAt,
          ...record,
        })
        .from(note)
        .innerJoin(posts, and(eq(posts.id, idInUrl), sql`${note.inReplyTo} = ${recordsUrl} || ${posts.id}`))
        .innerJoin(decisions, eq(decisions.postId, posts.id))
        .where(
          and(
            eq(note.authorId, authorId),
            eq(note.kind, "note"),
            eq(note.state, "published"),
            isNull(note.hiddenAt),
            eq(posts.state, "published"),
          ),
        )
        .orderBy(desc(note.publishedAt), desc(note.id))
        .limit(limit);
      // A note's page is built from its id by the service.
      return rows.map((row) => toRecordReply({ ...row, url: null }));
    },
  };
}
