import { DEFAULT_COMMUNITY_REPLY_POLICY } from "../domain/reply-policy.ts";
import type { Clock } from "../domain/clock.ts";
import { conflict, DomainError, forbidden, invalid, notFound } from "../domain/errors.ts";
import type { DomainEvent } from "../domain/events.ts";
import { INSTANCE_ACTOR_HANDLE, normaliseHandle, validateNewHandle } from "../domain/handle.ts";
import type { Actor, ActorKind, Membership, Role } from "../domain/types.ts";
import { actorPath } from "../domain/urls.ts";
import type { NewActor, Store } from "../storage/repositories.ts";
import { generateActorKeys } from "./keys.ts";
import { notify } from "./notify.ts";
import { hashPassword } from "./passwords.ts";
import { checkFields, requireText } from "./field-checks.ts";
import { can, isRole, ROLES } from "./permissions.ts";

export interface NewPerson {
  handle: string;
  displayName: string;
  password: string;
  jobTitle?: string;
  bio?: string;
}

export interface NewCommunity {
  handle: string;
  name: string;
  purpose: string;
}

/** The checks of a new person's details, for checkFields (with any others a form adds). */
export function personChecks(input: NewPerson) {
  return {
    handle: () => validateNewHandle(input.handle),
    displayName: () => requireText(input.displayName, "displayName", "Display name", 100),
    password: () => checkPassword(input.password ?? ""),
  };
}

export function checkPassword(password: string): string {
  if (password.length < 12) throw invalid("Password must be at least 12 characters.", { password: "at least 12 characters" });
  if (password.length > 1000) throw invalid("Password must be at most 1,000 characters.", { password: "at most 1,000 characters" });
  return password;
}

/** A checked person's record, with the password hashed. */
export async function personRecord(
  checked: { handle: string; displayName: string; password: string },
  input: NewPerson,
): Promise<NewActor> {
  return {
    handle: checked.handle,
    kind: "person",
    displayName: checked.displayName,
    summary: input.bio?.trim() ?? "",
    jobTitle: input.jobTitle?.trim() || null,
    passwordHash: await hashPassword(checked.password),
  };
}

/** Checks a new person's details (every problem at once) and hashes the password. Throws `invalid` with fields. */
export async function newPersonRecord(input: NewPerson): Promise<NewActor> {
  return personRecord(checkFields(personChecks(input)), input);
}

/** People, communities, memberships and the instance actor. */
export class ActorService {
  constructor(
    private readonly store: Store,
    private readonly now: Clock,
  ) {}

  async createPerson(input: NewPerson): Promise<Actor> {
    return this.store.actors.create(await newPersonRecord(input), await generateActorKeys());
  }

  /** Creates a community; the person who creates it, if one does, becomes its administrator in the same unit of work. */
  async createCommunity(input: NewCommunity, creator?: Actor): Promise<Actor> {
    const { handle, name, purpose } = checkFields({
      handle: () => validateNewHandle(input.handle),
      name: () => requireText(input.name, "name", "Name", 100),
      purpose: () => requireText(input.purpose, "purpose", "Purpose", 2000),
    });
    if (creator && (creator.kind !== "person" || creator.deactivatedAt)) throw invalid("Only a person can look after a community.");
    const keys = await generateActorKeys();
    return this.store.transaction(async (tx) => {
      const community = await tx.actors.create(
        { handle, kind: "community", displayName: name, summary: purpose, replyPolicy: DEFAULT_COMMUNITY_REPLY_POLICY },
        keys,
      );
      if (creator) await tx.actors.setMembership(community.id, creator.id, "admin");
      return community;
    });
  }

  /** The instance actor signs requests made on behalf of the server itself. Created on first use. */
  async ensureInstanceActor(instanceName: string): Promise<Actor> {
    const existing = await this.store.actors.findByHandle(INSTANCE_ACTOR_HANDLE);
    if (existing) return existing;
    try {
      return await this.store.actors.create(
        { handle: INSTANCE_ACTOR_HANDLE, kind: "instance", displayName: instanceName, summary: "" },
        await generateActorKeys(),
      );
    } catch (error) {
      // Another process starting at the same moment created it first.
      const created = await this.store.actors.findByHandle(INSTANCE_ACTOR_HANDLE);
      if (error instanceof DomainError && error.code === "conflict" && created) return created;
      throw error;
    }
  }

  async addMember(communityHandle: string, personHandle: string, role: string): Promise<void> {
    if (!isRole(role)) throw invalid(`Role must be one of ${ROLES.join(", ")}.`, { role: `one of ${ROLES.join(", ")}` });
    const community = await this.require(communityHandle, "community");
    const person = await this.require(personHandle, "person");
    await this.store.actors.setMembership(community.id, person.id, role as Role);
  }

  /** Whether this person may manage a community's members: its administrators, and the instance's. */
  async mayManageMembers(person: Actor | null, community: Actor): Promise<boolean> {
    if (!person || person.deactivatedAt) return false;
    return person.isAdmin || can(await this.store.actors.membership(community.id, person.id), "manage");
  }

  /** The community, if this person may manage its members; not found or forbidden otherwise. */
  async managedCommunity(acting: Actor, communityHandle: string): Promise<Actor> {
    const community = await this.require(communityHandle, "community");
    if (!(await this.mayManageMembers(acting, community))) {
      throw forbidden(`Only administrators of ${community.displayName}, and of this server, can manage its members.`);
    }
    return community;
  }

  /**
   * From the web: gives a person a role in a community (adding them if need
   * be), or removes them (role null). Only those who may manage its members
   * can, and a community always keeps an active administrator. `expect` says
   * whether the form was for a new member or an existing one, so that adding
   * someone twice or changing a stranger's role is refused rather than done.
   */
  async manageMembership(
    acting: Actor,
    communityHandle: string,
    personHandle: string,
    role: string | null,
    expect: "new" | "member" = role === null ? "member" : "new",
  ): Promise<{ community: Actor; person: Actor }> {
    const community = await this.managedCommunity(acting, communityHandle);
    const person = await this.memberCandidate(personHandle, role, expect);
    const current = await this.store.actors.membership(community.id, person.id);
    if (current === null && expect === "member") throw notFound(`${person.displayName} is not a member of ${community.displayName}.`);
    if (current !== null && expect === "new") {
      throw conflict(`${person.displayName} is already a member of ${community.displayName}.`, {
        person: "already a member: change their role in the list of members",
      });
    }
    if (current === null && person.deactivatedAt) {
      throw invalid(`${person.displayName}'s account is deactivated.`, { person: "this person's account is deactivated" });
    }
    if (current === "admin" && role !== "admin" && !person.deactivatedAt && !(await this.hasOtherAdmin(community, person))) {
      throw invalid(
        `${community.displayName} needs an administrator: make someone else one before ${role === null ? "removing" : "changing"} ${person.displayName}.`,
        {
          role: `${person.displayName} is the only administrator; make someone else an administrator first`,
        },
      );
    }
    if (role === current) return { community, person };
    // Other servers hear of it: the community's followers and, through them, members elsewhere.
    const action = role === null ? "removed" : current === null ? "added" : "role";
    const change: DomainEvent = {
      type: "member.changed",
      change: { communityId: community.id, member: { personId: person.id }, role: (role ?? current) as Role, action },
    };
    await this.store.transaction(async (tx) => {
      if (role === null) await tx.actors.removeMembership(community.id, person.id);
      else await tx.actors.setMembership(community.id, person.id, role as Role);
      await tx.events.record([change]);
      if (action === "added") {
        await notify(tx, {
          recipient: person,
          kind: "membership",
          source: `${actorPath(community.handle)}#member-${person.id}-${this.now()}`,
          actor: { id: acting.id },
          details: { title: community.displayName, communityHandle: community.handle, role: role as Role },
          at: new Date(this.now()),
        });
      }
    });
    return { community, person };
  }

  /**
   * The local person named in a membership form, with the role checked too
   * (every problem at once). A member is named by the address, not typed, so
   * an unknown one there is simply not found.
   */
  private async memberCandidate(personHandle: string, role: string | null, expect: "new" | "member"): Promise<Actor> {
    const handle = normaliseHandle(personHandle);
    const person = handle === "" || handle.includes("@") ? null : await this.find(handle);
    if (expect === "member" && person?.kind !== "person") throw notFound(`There is no person @${handle} here.`);
    const fields: Record<string, string> = {};
    if (handle === "") fields.person = "required";
    else if (handle.includes("@"))
      fields.person = "only people with an account on this server can be members; give their handle without a server";
    else if (person?.kind !== "person") fields.person = `there is no one here with the handle @${handle}`;
    if (role !== null && !isRole(role)) fields.role = `choose one of ${ROLES.join(", ")}`;
    if (Object.keys(fields).length > 0) throw invalid(`Check the details: ${Object.values(fields).join("; ")}.`, fields);
    return person!;
  }

  /** Whether the community has an active administrator other than this person, here or elsewhere. */
  private async hasOtherAdmin(community: Actor, person: Actor): Promise<boolean> {
    const admins = await this.store.actors.activeAdminsOf(community.id);
    if (admins.some((admin) => admin.id !== person.id)) return true;
    return (await this.store.memberships.countRemoteAdmins(community.id)) > 0;
  }

  async find(handle: string): Promise<Actor | null> {
    return this.store.actors.findByHandle(normaliseHandle(handle));
  }

  findById(id: number): Promise<Actor | null> {
    return this.store.actors.findById(id);
  }

  /** A person's role in a community, or null if they are not a member. */
  roleIn(community: Actor, person: Actor): Promise<Role | null> {
    return this.store.actors.membership(community.id, person.id);
  }

  /** A community's members, with their roles. */
  members(community: Actor): Promise<Membership[]> {
    return this.store.actors.membershipsOfCommunity(community.id);
  }

  /** The active communities this person may publish in (weeknotes and decision records), for a form's list. */
  async publishableCommunities(person: Actor): Promise<Actor[]> {
    const memberships = await this.store.actors.membershipsOfPerson(person.id);
    return memberships.filter((m) => can(m.role, "publish") && !m.community.deactivatedAt).map((m) => m.community);
  }

  /** Finds a local actor of the given kind, or fails with a clear message. */
  async require(handle: string, kind: ActorKind): Promise<Actor> {
    const actor = await this.find(handle);
    if (!actor || actor.kind !== kind) throw notFound(`There is no ${kind} @${normaliseHandle(handle)} here.`);
    return actor;
  }

  /** An administrator deactivates a person: they can no longer sign in, and their page and actor go away. */
  async deactivate(admin: Actor, handle: string): Promise<Actor> {
    const person = await this.requireAdminOver(admin, handle);
    if (person.id === admin.id) throw invalid("You cannot deactivate yourself.");
    const at = new Date(this.now());
    await this.store.transaction(async (tx) => {
      await tx.accounts.deactivate(person.id, at);
      await tx.accounts.endSessions(person.id);
      await tx.tokens.revokeAll(person.id, at);
    });
    return person;
  }

  async reactivate(admin: Actor, handle: string): Promise<Actor> {
    const person = await this.requireAdminOver(admin, handle);
    await this.store.accounts.reactivate(person.id);
    return person;
  }

  /** From the command line: the operator makes a person an instance administrator. */
  async makeAdmin(handle: string): Promise<Actor> {
    const person = await this.require(handle, "person");
    await this.store.accounts.setAdmin(person.id, true);
    return { ...person, isAdmin: true };
  }

  private async requireAdminOver(admin: Actor, handle: string): Promise<Actor> {
    if (!admin.isAdmin) throw forbidden("Only administrators can do that.");
    return this.require(handle, "person");
  }

  list(kind: ActorKind) {
    return this.store.actors.list(kind);
  }
}
