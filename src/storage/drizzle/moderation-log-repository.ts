import { and, desc, eq, inArray, type SQL } from "drizzle-orm";
import type { ModerationEntry, ModerationFilter } from "../../domain/moderation.ts";
import type { ModerationLogRepository } from "../repositories.ts";
import type { Unit } from "./unit.ts";

/** The moderation log: entries are added and read back, never changed or removed. */
export function moderationLogRepository(unit: Unit): ModerationLogRepository {
  const { db } = unit;
  const { moderationLog } = unit.tables;

  function conditions(filter: ModerationFilter): SQL[] {
    const where: SQL[] = [];
    if (filter.action !== undefined) where.push(eq(moderationLog.action, filter.action));
    if (filter.communityId !== undefined) where.push(eq(moderationLog.communityId, filter.communityId));
    if (filter.actorId !== undefined) where.push(eq(moderationLog.actorId, filter.actorId));
    if (filter.subjects !== undefined) where.push(inArray(moderationLog.subject, filter.subjects));
    return where;
  }

  return {
    async record(entry) {
      const [row] = await unit.write((db) =>
        db
          .insert(moderationLog)
          .values({ ...entry, at: entry.at.getTime() })
          .returning(),
      );
      return toEntry(row!);
    },

    async list(filter, limit, offset) {
      if (filter.subjects !== undefined && filter.subjects.length === 0) return [];
      const rows = await db
        .select()
        .from(moderationLog)
        .where(and(...conditions(filter)))
        .orderBy(desc(moderationLog.at), desc(moderationLog.id))
        .limit(limit)
        .offset(offset);
      return rows.map(toEntry);
    },
  };
}

function toEntry(row: Omit<ModerationEntry, "at"> & { at: number }): ModerationEntry {
  return { ...row, at: new Date(row.at) };
}
