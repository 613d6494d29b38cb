import { and, count, desc, eq, gt, isNull, like, max } from "drizzle-orm";
import type { ActorKeyRecord } from "../../domain/types.ts";
import { toActor, toInvitation } from "../mappers.ts";
import { SETTING, type AccountRepository, type NewActor, type NewSession } from "../repositories.ts";
import { insertActor, withHandleCheck } from "./actor-repository.ts";
import type { PgDrizzle } from "./database.ts";
import { actors, apiTokens, invitations, loginFailures, sessions, settings } from "./schema.ts";

export class PostgresAccountRepository implements AccountRepository {
  constructor(private readonly db: PgDrizzle) {}

  async countAdmins() {
    const [row] = await this.db
      .select({ n: count() })
      .from(actors)
      .where(and(eq(actors.isAdmin, true), isNull(actors.deactivatedAt)));
    return row?.n ?? 0;
  }

  async completeSetup(tokenHash: string, instanceName: string, admin: NewActor, keys: ActorKeyRecord[]) {
    return withHandleCheck(admin.handle, () =>
      this.db.transaction(async (tx) => {
        // The delete is the claim: a concurrent setup with the same token waits on the row, then finds it gone.
        const claimed = await tx
          .delete(settings)
          .where(and(eq(settings.key, SETTING.setupTokenHash), eq(settings.value, tokenHash)))
          .returning({ key: settings.key });
        if (claimed.length === 0) return null;
        await tx
          .insert(settings)
          .values({ key: SETTING.instanceName, value: instanceName })
          .onConflictDoUpdate({ target: settings.key, set: { value: instanceName } });
        return insertActor(tx, { ...admin, isAdmin: true }, keys);
      }),
    );
  }

  async createSession(session: NewSession) {
    await this.db.insert(sessions).values({ ...session, expiresAt: session.expiresAt.getTime() });
  }

  async findSession(id: string, now: Date) {
    const [row] = await this.db
      .select({ person: actors, csrfToken: sessions.csrfToken, expiresAt: sessions.expiresAt })
      .from(sessions)
      .innerJoin(actors, eq(actors.id, sessions.personId))
      .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now.getTime()), isNull(actors.deactivatedAt)));
    return row ? { person: toActor(row.person), csrfToken: row.csrfToken, expiresAt: new Date(row.expiresAt) } : null;
  }

  async deleteSession(id: string) {
    await this.db.delete(sessions).where(eq(sessions.id, id));
  }

  async createInvitation(invitation: { id: string; invitedBy: number; note: string; expiresAt: Date }) {
    await this.db.insert(invitations).values({ ...invitation, expiresAt: invitation.expiresAt.getTime() });
  }

  async findInvitation(id: string) {
    const [row] = await this.db.select().from(invitations).where(eq(invitations.id, id));
    return row ? toInvitation(row) : null;
  }

  async pendingInvitations(now: Date) {
    const rows = await this.db
      .select()
      .from(invitations)
      .where(and(isNull(invitations.acceptedAt), gt(invitations.expiresAt, now.getTime())))
      .orderBy(desc(invitations.createdAt));
    return rows.map(toInvitation);
  }

  async acceptInvitation(id: string, now: Date, person: NewActor, keys: ActorKeyRecord[]) {
    return withHandleCheck(person.handle, () =>
      this.db.transaction(async (tx) => {
        // The update is the claim: a concurrent acceptance waits on the row, then no longer matches it.
        const claimed = await tx
          .update(invitations)
          .set({ acceptedAt: now.getTime() })
          .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now.getTime())));
        if (!claimed.rowCount) return null;
        const actor = await insertActor(tx, { ...person, isAdmin: false }, keys);
        await tx.update(invitations).set({ acceptedBy: actor.id }).where(eq(invitations.id, id));
        return actor;
      }),
    );
  }

  async cancelInvitation(id: string) {
    const rows = await this.db
      .delete(invitations)
      .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt)))
      .returning({ id: invitations.id });
    return rows.length > 0;
  }

  async recordLoginFailure(keys: string[], at: Date) {
    if (keys.length === 0) return;
    await this.db.insert(loginFailures).values(keys.map((key) => ({ key, at: at.getTime() })));
  }

  async loginFailures(key: string, since: Date) {
    const [row] = await this.db
      .select({ n: count(), latest: max(loginFailures.at) })
      .from(loginFailures)
      .where(and(eq(loginFailures.key, key), gt(loginFailures.at, since.getTime())));
    return { count: row?.n ?? 0, latest: row?.latest == null ? null : new Date(Number(row.latest)) };
  }

  async loginFailureCounts(keyPrefix: string, since: Date) {
    const rows = await this.db
      .select({ key: loginFailures.key, n: count() })
      .from(loginFailures)
      .where(and(like(loginFailures.key, `${keyPrefix}%`), gt(loginFailures.at, since.getTime())))
      .groupBy(loginFailures.key);
    return new Map(rows.map((r) => [r.key, r.n]));
  }

  async clearLoginFailures(key: string) {
    await this.db.delete(loginFailures).where(eq(loginFailures.key, key));
  }

  async deactivate(personId: number, at: Date) {
    await this.db.transaction(async (tx) => {
      await tx.update(actors).set({ deactivatedAt: at.getTime() }).where(eq(actors.id, personId));
      await tx.delete(sessions).where(eq(sessions.personId, personId));
      await tx
        .update(apiTokens)
        .set({ revokedAt: at.getTime() })
        .where(and(eq(apiTokens.personId, personId), isNull(apiTokens.revokedAt)));
    });
  }

  async reactivate(personId: number) {
    await this.db.update(actors).set({ deactivatedAt: null }).where(eq(actors.id, personId));
  }

  async setAdmin(personId: number, isAdmin: boolean) {
    await this.db.update(actors).set({ isAdmin }).where(eq(actors.id, personId));
  }
}
