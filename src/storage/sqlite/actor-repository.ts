import { and, count, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { conflict } from "../../domain/errors.ts";
import type { ActorKeyRecord, ActorKind, Membership, Role } from "../../domain/types.ts";
import type { ActorRepository, NewActor } from "../repositories.ts";
import type { Drizzle } from "./database.ts";
import { fromKeyRecord, toActor, toKeyRecord } from "../mappers.ts";
import { actorKeys, actors, memberships } from "./schema.ts";

const handleTaken = (handle: string) => conflict(`The handle "${handle}" is already taken.`, { handle: "already taken" });
const community = alias(actors, "community");
const person = alias(actors, "person");

export class SqliteActorRepository implements ActorRepository {
  constructor(private readonly db: Drizzle) {}

  async create(actor: NewActor, keys: ActorKeyRecord[]) {
    try {
      return this.#insert(actor, keys);
    } catch (error) {
      // Another process took the handle between our check and our insert.
      if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") throw handleTaken(actor.handle);
      throw error;
    }
  }

  #insert(actor: NewActor, keys: ActorKeyRecord[]) {
    return this.db.transaction((tx) => {
      const taken = tx.select({ id: actors.id }).from(actors).where(eq(actors.handle, actor.handle)).get();
      if (taken) throw handleTaken(actor.handle);
      const row = tx.insert(actors).values(actor).returning().get();
      for (const key of keys) tx.insert(actorKeys).values(fromKeyRecord(row.id, key)).run();
      return toActor(row);
    });
  }

  async findByHandle(handle: string) {
    const row = this.db.select().from(actors).where(eq(actors.handle, handle)).get();
    return row ? toActor(row) : null;
  }

  async findById(id: number) {
    const row = this.db.select().from(actors).where(eq(actors.id, id)).get();
    return row ? toActor(row) : null;
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
