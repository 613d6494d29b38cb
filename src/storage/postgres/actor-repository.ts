import { and, count, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { conflict } from "../../domain/errors.ts";
import type { ActorKeyRecord, ActorKind, Membership, Role } from "../../domain/types.ts";
import { fromKeyRecord, toActor, toKeyRecord } from "../mappers.ts";
import type { ActorRepository, NewActor } from "../repositories.ts";
import type { PgDrizzle } from "./database.ts";
import { isUniqueViolation } from "./errors.ts";
import { actorKeys, actors, memberships } from "./schema.ts";

type Tx = Parameters<Parameters<PgDrizzle["transaction"]>[0]>[0];

const handleTaken = (handle: string) => conflict(`The handle "${handle}" is already taken.`, { handle: "already taken" });

/** Inserts an actor with its keys inside the caller's transaction; a taken handle is a conflict. */
export async function insertActor(tx: Tx, actor: NewActor, keys: ActorKeyRecord[]) {
  const [taken] = await tx.select({ id: actors.id }).from(actors).where(eq(actors.handle, actor.handle));
  if (taken) throw handleTaken(actor.handle);
  const [row] = await tx.insert(actors).values(actor).returning();
  if (keys.length > 0) await tx.insert(actorKeys).values(keys.map((key) => fromKeyRecord(row!.id, key)));
  return toActor(row!);
}

/**
 * Runs a transaction that inserts an actor; another process taking the handle
 * between check and insert (the unique index fails ours, and the transaction
 * rolls back) is a conflict too.
 */
export async function withHandleCheck<T>(handle: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error, "actors_handle_unique")) throw handleTaken(handle);
    throw error;
  }
}

const community = alias(actors, "community");
const person = alias(actors, "person");

export class PostgresActorRepository implements ActorRepository {
  constructor(private readonly db: PgDrizzle) {}

  async create(actor: NewActor, keys: ActorKeyRecord[]) {
    return withHandleCheck(actor.handle, () => this.db.transaction((tx) => insertActor(tx, actor, keys)));
  }

  async findByHandle(handle: string) {
    const [row] = await this.db.select().from(actors).where(eq(actors.handle, handle));
    return row ? toActor(row) : null;
  }

  async findById(id: number) {
    const [row] = await this.db.select().from(actors).where(eq(actors.id, id));
    return row ? toActor(row) : null;
  }

  async passwordHash(id: number) {
    const [row] = await this.db.select({ hash: actors.passwordHash }).from(actors).where(eq(actors.id, id));
    return row?.hash ?? null;
  }

  async list(kind: ActorKind) {
    const rows = await this.db.select().from(actors).where(eq(actors.kind, kind)).orderBy(actors.handle);
    return rows.map(toActor);
  }

  async count(kind: ActorKind) {
    const [row] = await this.db.select({ n: count() }).from(actors).where(eq(actors.kind, kind));
    return row?.n ?? 0;
  }

  async keys(actorId: number) {
    const rows = await this.db.select().from(actorKeys).where(eq(actorKeys.actorId, actorId)).orderBy(actorKeys.algorithm);
    return rows.map(toKeyRecord);
  }

  async setMembership(communityId: number, personId: number, role: Role) {
    await this.db
      .insert(memberships)
      .values({ communityId, personId, role })
      .onConflictDoUpdate({ target: [memberships.communityId, memberships.personId], set: { role } });
  }

  async removeMembership(communityId: number, personId: number) {
    const removed = await this.db
      .delete(memberships)
      .where(and(eq(memberships.communityId, communityId), eq(memberships.personId, personId)))
      .returning({ personId: memberships.personId });
    return removed.length > 0;
  }

  async membership(communityId: number, personId: number) {
    const [row] = await this.db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.communityId, communityId), eq(memberships.personId, personId)));
    return row?.role ?? null;
  }

  async membershipsOfCommunity(communityId: number) {
    return this.memberships(eq(memberships.communityId, communityId));
  }

  async membershipsOfPerson(personId: number) {
    return this.memberships(eq(memberships.personId, personId));
  }

  private async memberships(where: ReturnType<typeof eq>): Promise<Membership[]> {
    const rows = await this.db
      .select({ community, person, role: memberships.role })
      .from(memberships)
      .innerJoin(community, eq(community.id, memberships.communityId))
      .innerJoin(person, eq(person.id, memberships.personId))
      .where(where)
      .orderBy(community.handle, person.handle);
    return rows.map((row) => ({ community: toActor(row.community), person: toActor(row.person), role: row.role }));
  }
}
