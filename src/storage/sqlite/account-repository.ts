import { and, count, desc, eq, gt, isNull, like, max } from "drizzle-orm";
import type { ActorKeyRecord } from "../../domain/types.ts";
import { toActor, toInvitation } from "../mappers.ts";
import { SETTING, type AccountRepository, type NewActor, type NewSession } from "../repositories.ts";
import type { Drizzle } from "./database.ts";
import { insertActor, withHandleCheck } from "./actor-repository.ts";
import { actors, apiTokens, invitations, loginFailures, sessions, settings } from "./schema.ts";

export class SqliteAccountRepository implements AccountRepository {
  constructor(private readonly db: Drizzle) {}

  async countAdmins() {
    return (
      this.db
        .select({ n: count() })
        .from(actors)
        .where(and(eq(actors.isAdmin, true), isNull(actors.deactivatedAt)))
        .get()?.n ?? 0
    );
  }

  async completeSetup(tokenHash: string, instanceName: string, admin: NewActor, keys: ActorKeyRecord[]) {
    return withHandleCheck(admin.handle, () =>
      this.db.transaction((tx) => {
        // Deleting the token is the claim, and writing first takes the write lock at once.
        const claimed = tx
          .delete(settings)
          .where(and(eq(settings.key, SETTING.setupTokenHash), eq(settings.value, tokenHash)))
          .returning()
          .all();
        if (claimed.length === 0) return null;
        tx.insert(settings)
          .values({ key: SETTING.instanceName, value: instanceName })
          .onConflictDoUpdate({ target: settings.key, set: { value: instanceName } })
          .run();
        return insertActor(tx, { ...admin, isAdmin: true }, keys);
      }),
    );
  }

  async createSession(session: NewSession) {
    this.db
      .insert(sessions)
      .values({ ...session, expiresAt: session.expiresAt.getTime() })
      .run();
  }

  async findSession(id: string, now: Date) {
    const row = this.db
      .select({ person: actors, csrfToken: sessions.csrfToken, expiresAt: sessions.expiresAt })
      .from(sessions)
      .innerJoin(actors, eq(actors.id, sessions.personId))
      .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now.getTime()), isNull(actors.deactivatedAt)))
      .get();
    return row ? { person: toActor(row.person), csrfToken: row.csrfToken, expiresAt: new Date(row.expiresAt) } : null;
  }

  async deleteSession(id: string) {
    this.db.delete(sessions).where(eq(sessions.id, id)).run();
  }

  async createInvitation(invitation: { id: string; invitedBy: number; note: string; expiresAt: Date }) {
    this.db
      .insert(invitations)
      .values({ ...invitation, expiresAt: invitation.expiresAt.getTime() })
      .run();
  }

  async findInvitation(id: string) {
    const row = this.db.select().from(invitations).where(eq(invitations.id, id)).get();
    return row ? toInvitation(row) : null;
  }

  async pendingInvitations(now: Date) {
    return this.db
      .select()
      .from(invitations)
      .where(and(isNull(invitations.acceptedAt), gt(invitations.expiresAt, now.getTime())))
      .orderBy(desc(invitations.createdAt))
      .all()
      .map(toInvitation);
  }

  async acceptInvitation(id: string, now: Date, person: NewActor, keys: ActorKeyRecord[]) {
    return withHandleCheck(person.handle, () =>
      this.db.transaction((tx) => {
        // The update is the claim: only one acceptance can match an open invitation.
        const claimed = tx
          .update(invitations)
          .set({ acceptedAt: now.getTime() })
          .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now.getTime())))
          .run();
        if (claimed.changes === 0) return null;
        const actor = insertActor(tx, { ...person, isAdmin: false }, keys);
        tx.update(invitations).set({ acceptedBy: actor.id }).where(eq(invitations.id, id)).run();
        return actor;
      }),
    );
  }

  async cancelInvitation(id: string) {
    return (
      this.db
        .delete(invitations)
        .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt)))
        .run().changes > 0
    );
  }

  async recordLoginFailure(keys: string[], at: Date) {
    if (keys.length === 0) return;
    this.db
      .insert(loginFailures)
      .values(keys.map((key) => ({ key, at: at.getTime() })))
      .run();
  }

  async loginFailures(key: string, since: Date) {
    const row = this.db
      .select({ n: count(), latest: max(loginFailures.at) })
      .from(loginFailures)
      .where(and(eq(loginFailures.key, key), gt(loginFailures.at, since.getTime())))
      .get();
    return { count: row?.n ?? 0, latest: row?.latest == null ? null : new Date(Number(row.latest)) };
  }

  async loginFailureCounts(keyPrefix: string, since: Date) {
    const rows = this.db
      .select({ key: loginFailures.key, n: count() })
      .from(loginFailures)
      .where(and(like(loginFailures.key, `${keyPrefix}%`), gt(loginFailures.at, since.getTime())))
      .groupBy(loginFailures.key)
      .all();
    return new Map(rows.map((r) => [r.key, r.n]));
  }

  async clearLoginFailures(key: string) {
    this.db.delete(loginFailures).where(eq(loginFailures.key, key)).run();
  }

  async deactivate(personId: number, at: Date) {
    this.db.transaction((tx) => {
      tx.update(actors).set({ deactivatedAt: at.getTime() }).where(eq(actors.id, personId)).run();
      tx.delete(sessions).where(eq(sessions.personId, personId)).run();
      tx.update(apiTokens)
        .set({ revokedAt: at.getTime() })
        .where(and(eq(apiTokens.personId, personId), isNull(apiTokens.revokedAt)))
        .run();
    });
  }

  async setAdmin(personId: number, isAdmin: boolean) {
    this.db.update(actors).set({ isAdmin }).where(eq(actors.id, personId)).run();
  }

  async reactivate(personId: number) {
    this.db.update(actors).set({ deactivatedAt: null }).where(eq(actors.id, personId)).run();
  }
}
