import { and, count, desc, eq, gt, isNull, like, max, ne } from "drizzle-orm";
import { conflict } from "../../domain/errors.ts";
import { toActor, toInvitation } from "../mappers.ts";
import type { AccountRepository } from "../repositories.ts";
import type { Unit } from "./unit.ts";

const emailTaken = () => conflict("That email address belongs to another account here.", { email: "belongs to another account here" });

export function accountRepository(unit: Unit): AccountRepository {
  const { db } = unit;
  const { actors, invitations, loginFailures, passwordResets, sessions } = unit.tables;

  return {
    async countAdmins() {
      const [row] = await db
        .select({ n: count() })
        .from(actors)
        .where(and(eq(actors.isAdmin, true), isNull(actors.deactivatedAt)));
      return row?.n ?? 0;
    },

    async createSession(session) {
      await unit.write((db) => db.insert(sessions).values({ ...session, expiresAt: session.expiresAt.getTime() }));
    },

    async findSession(id, now) {
      const [row] = await db
        .select({ person: actors, csrfToken: sessions.csrfToken, expiresAt: sessions.expiresAt })
        .from(sessions)
        .innerJoin(actors, eq(actors.id, sessions.personId))
        .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now.getTime()), isNull(actors.deactivatedAt)));
      return row ? { person: toActor(row.person), csrfToken: row.csrfToken, expiresAt: new Date(row.expiresAt) } : null;
    },

    async deleteSession(id) {
      await unit.write((db) => db.delete(sessions).where(eq(sessions.id, id)));
    },

    async createInvitation(invitation) {
      await unit.write((db) => db.insert(invitations).values({ ...invitation, expiresAt: invitation.expiresAt.getTime() }));
    },

    async findInvitation(id) {
      const [row] = await db.select().from(invitations).where(eq(invitations.id, id));
      return row ? toInvitation(row) : null;
    },

    async pendingInvitations(now) {
      const rows = await db
        .select()
        .from(invitations)
        .where(and(isNull(invitations.acceptedAt), gt(invitations.expiresAt, now.getTime())))
        .orderBy(desc(invitations.createdAt));
      return rows.map(toInvitation);
    },

    async claimInvitation(id, now) {
      const claimed = await unit.write((db) =>
        db
          .update(invitations)
          .set({ acceptedAt: now.getTime() })
          .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now.getTime())))
          .returning({ id: invitations.id }),
      );
      return claimed.length > 0;
    },

    async setInvitee(id, personId) {
      await unit.write((db) => db.update(invitations).set({ acceptedBy: personId }).where(eq(invitations.id, id)));
    },

    async cancelInvitation(id) {
      const rows = await unit.write((db) =>
        db
          .delete(invitations)
          .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt)))
          .returning({ id: invitations.id }),
      );
      return rows.length > 0;
    },

    async recordLoginFailure(keys, at) {
      if (keys.length === 0) return;
      await unit.write((db) => db.insert(loginFailures).values(keys.map((key) => ({ key, at: at.getTime() }))));
    },

    async loginFailures(key, since) {
      const [row] = await db
        .select({ n: count(), latest: max(loginFailures.at) })
        .from(loginFailures)
        .where(and(eq(loginFailures.key, key), gt(loginFailures.at, since.getTime())));
      return { count: row?.n ?? 0, latest: row?.latest == null ? null : new Date(Number(row.latest)) };
    },

    async loginFailureCounts(keyPrefix, since) {
      const rows = await db
        .select({ key: loginFailures.key, n: count() })
        .from(loginFailures)
        .where(and(like(loginFailures.key, `${keyPrefix}%`), gt(loginFailures.at, since.getTime())))
        .groupBy(loginFailures.key);
      return new Map(rows.map((r) => [r.key, r.n]));
    },

    async clearLoginFailures(key) {
      await unit.write((db) => db.delete(loginFailures).where(eq(loginFailures.key, key)));
    },

    async deactivate(personId, at) {
      await unit.write((db) => db.update(actors).set({ deactivatedAt: at.getTime() }).where(eq(actors.id, personId)));
    },

    async endSessions(personId, exceptSessionId) {
      const others = exceptSessionId === undefined ? undefined : ne(sessions.id, exceptSessionId);
      await unit.write((db) => db.delete(sessions).where(and(eq(sessions.personId, personId), others)));
    },

    async setPasswordHash(personId, passwordHash) {
      await unit.write((db) => db.update(actors).set({ passwordHash }).where(eq(actors.id, personId)));
    },

    async createPasswordReset(reset) {
      await unit.write((db) =>
        db.insert(passwordResets).values({ ...reset, createdAt: reset.createdAt.getTime(), expiresAt: reset.expiresAt.getTime() }),
      );
    },

    async openPasswordReset(id, now) {
      const [row] = await db
        .select({ personId: passwordResets.personId })
        .from(passwordResets)
        .where(and(eq(passwordResets.id, id), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now.getTime())));
      return row?.personId ?? null;
    },

    async claimPasswordReset(id, now) {
      const [claimed] = await unit.write((db) =>
        db
          .update(passwordResets)
          .set({ usedAt: now.getTime() })
          .where(and(eq(passwordResets.id, id), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now.getTime())))
          .returning({ personId: passwordResets.personId }),
      );
      return claimed?.personId ?? null;
    },

    async reactivate(personId) {
      await unit.write((db) => db.update(actors).set({ deactivatedAt: null }).where(eq(actors.id, personId)));
    },

    async setAdmin(personId, isAdmin) {
      await unit.write((db) => db.update(actors).set({ isAdmin }).where(eq(actors.id, personId)));
    },

    async emailOf(personId) {
      const [row] = await db.select({ email: actors.email }).from(actors).where(eq(actors.id, personId));
      return row?.email ?? null;
    },

    // The address is looked for first, for a clear answer; the unique index settles a race with another process.
    async setEmail(personId, email) {
      const address = email === null ? null : email.toLowerCase();
      if (address !== null) {
        const [holder] = await db.select({ id: actors.id }).from(actors).where(eq(actors.email, address));
        if (holder && holder.id !== personId) throw emailTaken();
      }
      try {
        await unit.write((db) => db.update(actors).set({ email: address }).where(eq(actors.id, personId)));
      } catch (error) {
        if (unit.dialect.isUniqueViolation(error, "actors_email_unique")) throw emailTaken();
        throw error;
      }
    },

    async personByEmail(email) {
      const [row] = await db.select().from(actors).where(eq(actors.email, email.toLowerCase()));
      return row ? toActor(row) : null;
    },
  };
}
