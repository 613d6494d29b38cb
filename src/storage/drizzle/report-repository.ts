import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Report } from "../../domain/reports.ts";
import type { ReportRepository } from "../repositories.ts";
import type { Unit } from "./unit.ts";

/** Reports: made, listed for moderators, closed once, forwarded once. */
export function reportRepository(unit: Unit): ReportRepository {
  const { db } = unit;
  const { reports } = unit.tables;

  return {
    async create(report) {
      const [row] = await unit.write((db) =>
        db
          .insert(reports)
          .values({ ...report, createdAt: report.createdAt.getTime() })
          .returning(),
      );
      return toReport(row!);
    },

    async find(id) {
      const [row] = await db.select().from(reports).where(eq(reports.id, id));
      return row ? toReport(row) : null;
    },

    async list(state, limit, communityIds) {
      if (communityIds?.length === 0) return [];
      const rows = await db
        .select()
        .from(reports)
        .where(and(eq(reports.state, state), communityIds ? inArray(reports.communityId, communityIds) : undefined))
        .orderBy(asc(reports.createdAt), asc(reports.id))
        .limit(limit);
      return rows.map(toReport);
    },

    async close(id, close) {
      const closed = await unit.write((db) =>
        db
          .update(reports)
          .set({
            state: close.state,
            resolvedBy: close.by,
            resolvedAt: close.at.getTime(),
            resolution: close.resolution,
            resolutionNote: close.note,
          })
          .where(and(eq(reports.id, id), eq(reports.state, "open")))
          .returning({ id: reports.id }),
      );
      return closed.length > 0;
    },

    async markForwarded(id, at) {
      const marked = await unit.write((db) =>
        db
          .update(reports)
          .set({ forwardedAt: at.getTime() })
          .where(and(eq(reports.id, id), isNull(reports.forwardedAt)))
          .returning({ id: reports.id }),
      );
      return marked.length > 0;
    },
  };
}

type Row = Omit<Report, "createdAt" | "resolvedAt" | "forwardedAt"> & {
  createdAt: number;
  resolvedAt: number | null;
  forwardedAt: number | null;
};

function toReport(row: Row): Report {
  return {
    ...row,
    createdAt: new Date(row.createdAt),
    resolvedAt: row.resolvedAt === null ? null : new Date(row.resolvedAt),
    forwardedAt: row.forwardedAt === null ? null : new Date(row.forwardedAt),
  };
}
