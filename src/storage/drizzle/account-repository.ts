import { and, count, desc, eq, gt, isNull, like, max } from "drizzle-orm";
import { toActor, toInvitation } from "../mappers.ts";
import { SETTING, type AccountRepository } from "../repositories.ts";
import { insertActor } from "./actor-repository.ts";
import type { Unit } from "./unit.ts";

export function accountRepository(unit: Unit): AccountRepository {
  const { db } = unit;
  const { actors, apiTokens, invitations, loginFailures, sessions, settings } = unit.tables;

  return {
    async countAdmins() {
      const [row] = await db
        .select({ n: count() })
        .from(actors)
        .where(and(eq(actors.isAdmin, true), isNull(actors.deactivatedAt)));
      return row?.n ?? 0;
    },

    completeSetup: (tokenHash, instanceName, admin, keys) =>
      unit.transaction(async (tx) => {
        // Deleting the token is the claim: a concurrent setup with the same token finds it gone.
        const claimed = await tx.db
          .delete(settings)
          .where(and(eq(settings.key, SETTING.setupTokenHash), eq(settings.value, tokenHash)))
          .returning({ key: settings.key });
        if (claimed.length === 0) return null;
        await tx.db
          .insert(settings)
          .values({ key: SETTING.instanceName, value: instanceName })
          .onConflictDoUpdate({ target: settings.key, set: { value: instanceName } });
        return insertActor(tx, { ...admin, isAdmin: true }, keys);
      }),

    async createSession(session) {
      await unit.transaction((tx) => tx.db.insert(sessions).values({ ...session, expiresAt: session.expiresAt.getTime() }));
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
      await unit.transaction((tx) => tx.db.delete(sessions).where(eq(sessions.id, id)));
    },

    async createInvitation(invitation) {
      await unit.transaction((tx) => tx.db.insert(invitations).values({ ...invitation, expiresAt: invitation.expiresAt.getTime() }));
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

    acceptInvitation: (id, now, person, keys) =>
      unit.transaction(async (tx) => {
        // The update is the claim: only one acceptance can match an open invitation.
        const claimed = await tx.db
          .update(invitations)
          .set({ acceptedAt: now.getTime() })
          .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now.getTime())))
          .returning({ id: invitations.id });
        if (claimed.length === 0) return null;
        const actor = await insertActor(tx, { ...person, isAdmin: false }, keys);
        await tx.db.update(invitations).set({ acceptedBy: actor.id }).where(eq(invitations.id, id));
        return actor;
      }),

    async cancelInvitation(id) {
      const rows = await unit.transaction((tx) =>
        tx.db
          .delete(invitations)
          .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt)))
          .returning({ id: invitations.id }),
      );
      return rows.length > 0;
    },

    async recordLoginFailure(keys, at) {
      if (keys.length === 0) return;
      await unit.transaction((tx) => tx.db.insert(loginFailures).values(keys.map((key) => ({ key, at: at.getTime() }))));
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
      await unit.transaction((tx) => tx.db.delete(loginFailures).where(eq(loginFailures.key, key)));
    },

    async deactivate(personId, at) {
      await unit.transaction(async (tx) => {
        await tx.db.update(actors).set({ deactivatedAt: at.getTime() }).where(eq(actors.id, personId));
        await tx.db.delete(sessions).where(eq(sessions.personId, personId));
        await tx.db
          .update(apiTokens)
          .set({ revokedAt: at.getTime() })
          .where(and(eq(apiTokens.personId, personId), isNull(apiTokens.revokedAt)));
      });
    },

    async reactivate(personId) {
      await unit.transaction((tx) => tx.db.update(actors).set({ deactivatedAt: null }).where(eq(actors.id, personId)));
    },

    async setAdmin(personId, isAdmin) {
      await unit.transaction((tx) => tx.db.update(actors).set({ isAdmin }).where(eq(actors.id, personId)));
    },
  };
}
