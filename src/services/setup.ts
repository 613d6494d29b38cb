import { createHash, randomBytes } from "node:crypto";
import { DomainError, invalid } from "../domain/errors.ts";
import type { Actor } from "../domain/types.ts";
import { SETTING, type NewActor, type Store } from "../storage/repositories.ts";
import { newPersonRecord, type NewPerson } from "./actors.ts";
import { generateActorKeys } from "./keys.ts";

const sha256 = (secret: string) => createHash("sha256").update(secret).digest("hex");

export interface SetupInput extends NewPerson {
  instanceName: string;
}

/**
 * First start: while the instance has no administrator, a one-time setup
 * link lets the operator name the instance and create the first
 * administrator. Only the link's hash is stored; using it forgets it.
 */
export class SetupService {
  constructor(
    private readonly store: Store,
    private readonly defaultInstanceName: string,
  ) {}

  async needsSetup(): Promise<boolean> {
    return (await this.store.accounts.countAdmins()) === 0;
  }

  /**
   * At start-up: a new setup secret if the instance needs setting up and no
   * other process has made one yet (then only that process's link works).
   */
  async secretAtStartup(): Promise<string | null> {
    if (!(await this.needsSetup())) return null;
    const secret = randomBytes(24).toString("base64url");
    return (await this.store.settings.setIfAbsent(SETTING.setupTokenHash, sha256(secret))) ? secret : null;
  }

  /** A new setup secret, replacing any earlier one (the CLI's setup-link). Null once set up. */
  async newSecret(): Promise<string | null> {
    if (!(await this.needsSetup())) return null;
    const secret = randomBytes(24).toString("base64url");
    await this.store.settings.set(SETTING.setupTokenHash, sha256(secret));
    return secret;
  }

  /** Whether this is the current setup secret (so the form is worth showing). */
  async isValidSecret(secret: string): Promise<boolean> {
    return (await this.needsSetup()) && (await this.store.settings.get(SETTING.setupTokenHash)) === sha256(secret);
  }

  /** Names the instance and creates the first administrator. Null if the link is not (or no longer) valid. */
  async complete(secret: string, input: SetupInput): Promise<Actor | null> {
    if (!(await this.isValidSecret(secret))) return null;
    const instanceName = (input.instanceName ?? "").trim();
    const fields: Record<string, string> = {};
    if (!instanceName) fields.instanceName = "required";
    else if (instanceName.length > 100) fields.instanceName = "at most 100 characters";
    let person: NewActor | null = null;
    try {
      person = await newPersonRecord(input);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      Object.assign(fields, error.fields);
    }
    if (!person || Object.keys(fields).length > 0) throw invalid("Check the details below.", fields);
    return this.store.accounts.completeSetup(sha256(secret), instanceName, person, await generateActorKeys());
  }

  /** The instance's name: as set up on the web, else from the configuration. */
  async instanceName(): Promise<string> {
    return (await this.store.settings.get(SETTING.instanceName)) ?? this.defaultInstanceName;
  }
}

/** The one-time setup page for a secret. */
export const setupUrl = (origin: string, secret: string) => new URL(`/setup/${secret}`, origin).href;
