import { and, count, eq, inArray, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { conflict } from "../../domain/errors.ts";
import type { ActorKeyRecord, ActorKind, Membership, Role } from "../../domain/types.ts";
import { fromKeyRecord, toActor, toKeyRecord } from "../mappers.ts";
import type { ActorRepository, NewActor } from "../repositories.ts";
import { enqueueEvents } from "./events.ts";
import { prepared, rowsWhere } from "./prepared.ts";
import type { Unit } from "./unit.ts";

const handleTaken = (handle: string) => conflict(`The handle "${handle}" is already taken.`, { handle: "already taken" });

/**
 * Inserts an actor with its keys inside the transaction `tx`. A taken handle
 * is a conflict, whether seen first or found by the unique index when another
 * process took it between the check and the insert (the whole transaction
 * then rolls back).
 */
async function insertActor(tx: Unit, actor: NewActor, keys: ActorKeyRecord[]) {
  const { actors, actorKeys } = tx.tables;
  const [taken] = await tx.db.select({ id: actors.id }).from(actors).where(eq(actors.handle, actor.handle));
  if (taken) throw handleTaken(actor.handle);
  try {
    const [row] = await tx.db.insert(actors).values(actor).returning();
    if (keys.length > 0) await tx.db.insert(actorKeys).values(keys.map((key) => fromKeyRecord(row!.id, key)));
    return toActor(row!);
  } catch (error) {
    if (tx.dialect.isUniqueViolation(error, "actors_handle_unique")) throw handleTaken(actor.handle);
    throw error;
  }
}

export function actorRepository(unit: Unit): ActorRepository {
  const { db } = unit;
  const { actors, actorKeys, memberships } = unit.tables;
  const community = alias(actors, "community");
  const person = alias(actors, "person");

  /** The memberships of one community or of one person: prepared, since each Follow of a community and each of its pages asks. */
  async function membershipsOf(side: "community" | "person", id: number): Promise<Membership[]> {
    const query = prepared(db, `memberships_of_${side}`, (db, name) =>
      db
        .select({ community, person, role: memberships.role })
        .from(memberships)
        .innerJoin(community, eq(community.id, memberships.communityId))
        .innerJoin(person, eq(person.id, memberships.personId))
        .where(eq(side === "community" ? memberships.communityId : memberships.personId, sql.placeholder("id")))
        .orderBy(community.handle, person.handle)
        .prepare(name),
    );
    const rows = await query.execute({ id });
    return rows.map((row) => ({ community: toActor(row.community), person: toActor(row.person), role: row.role }));
  }

  return {
    create: (actor, keys) => unit.transaction((tx) => insertActor(tx, actor, keys)),

    async findByHandle(handle) {
      const [row] = await rowsWhere(db, "actor_by_handle", actors, actors.handle).execute({ value: handle });
      return row ? toActor(row) : null;
    },

    async findById(id) {
      const [row] = await rowsWhere(db, "actor_by_id", actors, actors.id).execute({ value: id });
      return row ? toActor(row) : null;
    },

    async findByIds(ids) {
      if (ids.length === 0) return [];
      const query = prepared(db, "actors_by_ids", (db, name) =>
        db
          .select()
          .from(actors)
          .where(unit.dialect.inListParameter(actors.id, sql.placeholder("ids")))
          .prepare(name),
      );
      return (await query.execute({ ids: unit.dialect.listParameter(ids) })).map(toActor);
    },

    async findByHandles(handles) {
      if (handles.length === 0) return [];
      return (await db.select().from(actors).where(inArray(actors.handle, handles))).map(toActor);
    },

    async passwordHash(id) {
      const [row] = await db.select({ hash: actors.passwordHash }).from(actors).where(eq(actors.id, id));
      return row?.hash ?? null;
    },

    async list(kind: ActorKind) {
      // The communities are listed on every register page, for its filter.
      const query = prepared(db, "actors_of_kind", (db, name) =>
        db
          .select()
          .from(actors)
          .where(eq(actors.kind, sql.placeholder("kind")))
          .orderBy(actors.handle)
          .prepare(name),
      );
      const rows = await query.execute({ kind });
      return rows.map(toActor);
    },

    async count(kind: ActorKind) {
      const [row] = await db.select({ n: count() }).from(actors).where(eq(actors.kind, kind));
      return row?.n ?? 0;
    },

    async keys(actorId) {
      const rows = await db.select().from(actorKeys).where(eq(actorKeys.actorId, actorId)).orderBy(actorKeys.algorithm);
      return rows.map(toKeyRecord);
    },

    async setMembership(communityId: number, personId: number, role: Role) {
      await unit.write((db) =>
        db
          .insert(memberships)
          .values({ communityId, personId, role })
          .onConflictDoUpdate({ target: [memberships.communityId, memberships.personId], set: { role } }),
      );
    },

    async updateProfile(id, profile, events) {
      return unit.transaction(async (tx) => {
        const [row] = await tx.db.update(actors).set(profile).where(eq(actors.id, id)).returning();
        await enqueueEvents(tx, events);
        return toActor(row!);
      });
    },

    async setReplyPolicy(communityId, replyPolicy) {
      await unit.write((db) => db.update(actors).set({ replyPolicy }).where(eq(actors.id, communityId)));
    },

    async removeMembership(communityId, personId) {
      const removed = await unit.write((db) =>
        db
          .delete(memberships)
          .where(and(eq(memberships.communityId, communityId), eq(memberships.personId, personId)))
          .returning({ personId: memberships.personId }),
      );
      return removed.length > 0;
    },

    async membership(communityId, personId) {
      const [row] = await db
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.communityId, communityId), eq(memberships.personId, personId)));
      return row?.role ?? null;
    },

    async activeAdminsOf(communityId) {
      // Asked on every Follow of a community: its administrators alone, not its whole roster.
      const query = prepared(db, "active_admins_of_community", (db, name) =>
        db
          .select({ person })
          .from(memberships)
          .innerJoin(person, eq(person.id, memberships.personId))
          .where(and(eq(memberships.communityId, sql.placeholder("id")), eq(memberships.role, "admin"), isNull(person.deactivatedAt)))
          .orderBy(person.handle)
          .prepare(name),
      );
      return (await query.execute({ id: communityId })).map((row) => toActor(row.person));
    },

    membershipsOfCommunity: (communityId) => membershipsOf("community", communityId),
    membershipsOfPerson: (personId) => membershipsOf("person", personId),
  };
}
