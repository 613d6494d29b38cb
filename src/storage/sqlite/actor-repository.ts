import { and, count, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { conflict } from "../../domain/errors.ts";
import type { ActorKeyRecord, ActorKind, Membership, Role } from "../../domain/types.ts";
import type { ActorRepository, NewActor } from "../repositories.ts";
import type { Drizzle } from "./database.ts";
import { fromKeyRecord, toActor, toKeyRecord } from "../mappers.ts";
import { actorKeys, actors, memberships } from "./schema.ts";

type Tx = Parameters<Parameters<Drizzle["transaction"]>[0]>[0];

const handleTaken = (handle: string) => conflict(`The handle "${handle}" is already taken.`, { handle: "already taken" });

/** Inserts an actor with its keys inside the caller's transaction; a taken handle is a conflict. */
export function insertActor(tx: Tx, actor: NewActor, keys: ActorKeyRecord[]) {
  const taken = tx.select({ id: actors.id }).from(actors).where(eq(actors.handle, actor.handle)).get();
  if (taken) throw handleTaken(actor.handle);
  const row = tx.insert(actors).values(actor).returning().get();
  for (const key of keys) tx.insert(actorKeys).values(fromKeyRecord(row.id, key)).run();
  return toActor(row);
}

/** Runs a transaction that inserts an actor; another process taking the handle between check and insert is a conflict too. */
export function withHandleCheck<T>(handle: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") throw handleTaken(handle);
    throw error;
  }
}

const community = alias(actors, "community");
const person = alias(actors, "person");

export class SqliteActorRepository implements ActorRepository {
  constructor(private readonly db: Drizzle) {}

  async create(actor: NewActor, keys: ActorKeyRecord[]) {
    return withHandleCheck(actor.handle, () => this.db.transaction((tx) => insertActor(tx, actor, keys)));
  }

  async findByHandle(handle: string) {
    const row = this.db.select().from(actors).where(eq(actors.handle, handle)).get();
    return row ? toActor(row) : null;
  }

  async findById(id: number) {
    const row = this.db.select().from(actors).where(eq(actors.id, id)).get();
    return row ? toActor(row) : null;
  }

  async passwordHash(id: number) {
    return this.db.select({ hash: actors.passwordHash }).from(actors).where(eq(actors.id, id)).get()?.hash ?? null;
  }

  async list(kind: ActorKind) {
    return this.db.select().from(actors).where(eq(actors.kind, kind)).orderBy(actors.handle).all().map(toActor);
  }

  async count(kind: ActorKind) {
    return this.db.select({ n: count() }).from(actors).where(eq(actors.kind, kind)).get()?.n ?? 0;
  }

  async keys(actorId: number) {
    return this.db.select().from(actorKeys).where(eq(actorKeys.actorId, actorId)).all().map(toKeyRecord);
  }

  async setMembership(communityId: number, personId: number, role: Role) {
    this.db
      .insert(memberships)
      .values({ communityId, personId, role })
      .onConflictDoUpdate({ target: [memberships.communityId, memberships.personId], set: { role } })
      .run();
  }

  async removeMembership(communityId: number, personId: number) {
    const removed = this.db
      .delete(memberships)
      .where(and(eq(memberships.communityId, communityId), eq(memberships.personId, personId)))
      .returning({ personId: memberships.personId })
      .all();
    return removed.length > 0;
  }

  async membership(communityId: number, personId: number) {
    const row = this.db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.communityId, communityId), eq(memberships.personId, personId)))
      .get();
    return row?.role ?? null;
  }

  async membershipsOfCommunity(communityId: number) {
    return this.memberships(eq(memberships.communityId, communityId));
  }

  async membershipsOfPerson(personId: number) {
    return this.memberships(eq(memberships.personId, personId));
  }

  private memberships(where: ReturnType<typeof eq>): Membership[] {
    return this.db
      .select({ community, person, role: memberships.role })
      .from(memberships)
      .innerJoin(community, eq(community.id, memberships.communityId))
      .innerJoin(person, eq(person.id, memberships.personId))
      .where(where)
      .orderBy(community.handle, person.handle)
      .all()
      .map((row) => ({ community: toActor(row.community), person: toActor(row.person), role: row.role }));
  }
}
