import { and, desc, eq, inArray } from "drizzle-orm";
import type { InputOutcome, Referral } from "../../domain/outcomes.ts";
import type { OutcomeRepository } from "../repositories.ts";
import type { Tables, Unit } from "./unit.ts";

type OutcomeRow = Tables["replyOutcomes"]["$inferSelect"];

function toOutcome(row: OutcomeRow): InputOutcome {
  const referral: Referral | null =
    row.referralTarget !== null && row.referralState !== null
      ? { target: row.referralTarget, uri: row.referralUri, name: row.referralName, state: row.referralState }
      : null;
  return {
    decisionId: row.decisionId,
    replyUri: row.replyUri,
    kind: row.kind,
    note: row.note,
    referral,
    answerNoteId: row.answerNoteId,
    setBy: row.setBy,
    setAt: new Date(row.setAt),
  };
}

/** Outcomes of replies to consultations, outcomes told by other instances, and input referred to communities here. */
export function outcomeRepository(unit: Unit): OutcomeRepository {
  const { db } = unit;
  const { replyOutcomes, outcomesElsewhere, referredInput } = unit.tables;

  return {
    async put(outcome) {
      const values = {
        decisionId: outcome.decisionId,
        replyUri: outcome.replyUri,
        kind: outcome.kind,
        note: outcome.note,
        referralTarget: outcome.referral?.target ?? null,
        referralUri: outcome.referral?.uri ?? null,
        referralName: outcome.referral?.name ?? null,
        referralState: outcome.referral?.state ?? null,
        answerNoteId: outcome.answerNoteId,
        setBy: outcome.setBy,
        setAt: outcome.setAt.getTime(),
      };
      const { decisionId: _d, replyUri: _r, ...set } = values;
      await unit.write((db) =>
        db
          .insert(replyOutcomes)
          .values(values)
          .onConflictDoUpdate({ target: [replyOutcomes.decisionId, replyOutcomes.replyUri], set }),
      );
    },

    async find(decisionId, replyUri) {
      const [row] = await db
        .select()
        .from(replyOutcomes)
        .where(and(eq(replyOutcomes.decisionId, decisionId), eq(replyOutcomes.replyUri, replyUri)));
      return row ? toOutcome(row) : null;
    },

    async forDecisions(decisionIds) {
      if (decisionIds.length === 0) return [];
      const rows = await db.select().from(replyOutcomes).where(inArray(replyOutcomes.decisionId, decisionIds));
      return rows.map(toOutcome);
    },

    async byAnswerNote(noteId) {
      const [row] = await db.select().from(replyOutcomes).where(eq(replyOutcomes.answerNoteId, noteId));
      return row ? toOutcome(row) : null;
    },

    async forReplies(replyUris) {
      if (replyUris.length === 0) return [];
      const rows = await db.select().from(replyOutcomes).where(inArray(replyOutcomes.replyUri, replyUris));
      return rows.map(toOutcome);
    },

    async setReferral(decisionId, replyUri, referral) {
      const changed = await unit.write((db) =>
        db
          .update(replyOutcomes)
          .set({ referralUri: referral.uri, referralName: referral.name, referralState: referral.state })
          .where(
            and(
              eq(replyOutcomes.decisionId, decisionId),
              eq(replyOutcomes.replyUri, replyUri),
              eq(replyOutcomes.kind, "referred"),
              eq(replyOutcomes.referralTarget, referral.target),
            ),
          )
          .returning({ uri: replyOutcomes.replyUri }),
      );
      return changed.length > 0;
    },

    async putElsewhere(outcome) {
      const values = {
        postId: outcome.postId,
        answerUri: outcome.answerUri,
        recordUri: outcome.recordUri,
        recordTitle: outcome.recordTitle,
        kind: outcome.kind,
        note: outcome.note,
        referredUri: outcome.referredTo?.uri ?? null,
        referredName: outcome.referredTo?.name ?? null,
        answeredBy: outcome.answeredBy,
        updatedAt: outcome.updatedAt.getTime(),
      };
      const { postId: _p, ...set } = values;
      await unit.write((db) => db.insert(outcomesElsewhere).values(values).onConflictDoUpdate({ target: outcomesElsewhere.postId, set }));
    },

    async removeElsewhere(postId, answeredBy) {
      const removed = await unit.write((db) =>
        db
          .delete(outcomesElsewhere)
          .where(and(eq(outcomesElsewhere.postId, postId), eq(outcomesElsewhere.answeredBy, answeredBy)))
          .returning({ postId: outcomesElsewhere.postId }),
      );
      return removed.length > 0;
    },

    async elsewhereFor(postIds) {
      if (postIds.length === 0) return [];
      const rows = await db.select().from(outcomesElsewhere).where(inArray(outcomesElsewhere.postId, postIds));
      return rows.map((row) => ({
        postId: row.postId,
        answerUri: row.answerUri,
        recordUri: row.recordUri,
        recordTitle: row.recordTitle,
        kind: row.kind,
        note: row.note,
        referredTo: row.referredName !== null ? { uri: row.referredUri, name: row.referredName } : null,
        answeredBy: row.answeredBy,
        updatedAt: new Date(row.updatedAt),
      }));
    },

    async addReferred(input) {
      const added = await unit.write((db) =>
        db
          .insert(referredInput)
          .values({ ...input, receivedAt: input.receivedAt.getTime() })
          .onConflictDoNothing()
          .returning({ id: referredInput.id }),
      );
      return added.length > 0;
    },

    async referredTo(communityId, limit) {
      const rows = await db
        .select()
        .from(referredInput)
        .where(eq(referredInput.communityId, communityId))
        .orderBy(desc(referredInput.receivedAt), desc(referredInput.id))
        .limit(limit);
      return rows.map((row) => ({ ...row, receivedAt: new Date(row.receivedAt) }));
    },
  };
}
