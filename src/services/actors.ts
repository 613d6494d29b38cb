import { DomainError, forbidden, invalid, notFound } from "../domain/errors.ts";
import { INSTANCE_ACTOR_HANDLE, normaliseHandle, validateNewHandle } from "../domain/handle.ts";
import type { Actor, ActorKind, Role } from "../domain/types.ts";
import type { NewActor, Store } from "../storage/repositories.ts";
import { generateActorKeys } from "./keys.ts";
import { hashPassword } from "./passwords.ts";
import { isRole, ROLES } from "./permissions.ts";

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

function requireText(value: string | undefined, field: string, label: string, max: number): string {
  const text = (value ?? "").trim();
  if (text === "") throw invalid(`${label} is required.`, { [field]: "required" });
  if (text.length > max) throw invalid(`${label} must be at most ${max} characters.`, { [field]: `at most ${max} characters` });
  return text;
}

/**
 * Checks a new person's details, all at once so a form can show every
 * problem together, and hashes the password. Throws `invalid` with fields.
 */
export async function newPersonRecord(input: NewPerson): Promise<NewActor> {
  const fields: Record<string, string> = {};
  let handle = "";
  try {
    handle = validateNewHandle(input.handle);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    fields.handle = error.fields.handle ?? error.message;
  }
  const displayName = (input.displayName ?? "").trim();
  if (!displayName) fields.displayName = "required";
  else if (displayName.length > 100) fields.displayName = "at most 100 characters";
  const password = input.password ?? "";
  if (password.length < 12) fields.password = "at least 12 characters";
  else if (password.length > 1000) fields.password = "at most 1,000 characters";
  if (Object.keys(fields).length > 0) {
    throw invalid(`Check the details: ${Object.entries(fields).map(([k, v]) => `${k} ${v}`).join("; ")}.`, fields);
  }
  return {
    handle,
    kind: "person",
    displayName,
    summary: input.bio?.trim() ?? "",
    jobTitle: input.jobTitle?.trim() || null,
    passwordHash: await hashPassword(password),
  };
}

/** People, communities, memberships and the instance actor. */
export class ActorService {
  constructor(private readonly store: Store) {}

  async createPerson(input: NewPerson): Promise<Actor> {
    return this.store.actors.create(await newPersonRecord(input), await generateActorKeys());
  }

  async createCommunity(input: NewCommunity): Promise<Actor> {
    const handle = validateNewHandle(input.handle);
    const name = requireText(input.name, "name", "Name", 100);
    const purpose = requireText(input.purpose, "purpose", "Purpose", 2000);
    return this.store.actors.create({ handle, kind: "community", displayName: name, summary: purpose }, await generateActorKeys());
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

  async find(handle: string): Promise<Actor | null> {
    return this.store.actors.findByHandle(normaliseHandle(handle));
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
    await this.store.accounts.deactivate(person.id, new Date());
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
