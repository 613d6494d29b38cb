import type { Actor } from "../domain/types.ts";
import { absoluteUrl, setupPath } from "../domain/urls.ts";
import { SETTING, type Store } from "../storage/repositories.ts";
import { personChecks, personRecord, type NewPerson } from "./actors.ts";
import { checkFields, requireText } from "./field-checks.ts";
import { generateActorKeys } from "./keys.ts";
import { hashOfSecret, randomSecret } from "./secrets.ts";

export interface SetupInput extends NewPerson {
  instanceName: string;
}

/** How long a process keeps finding no name set up before it looks again. */
const NAME_CACHE_MS = 10_000;

/**
 * First start: while the instance has no administrator, a one-time setup
 * link lets the operator name the instance and create the first
 * administrator. Only the link's hash is stored; using it forgets it.
 */
export class SetupService {
  constructor(
    private readonly store: Store,
    private readonly defaultInstanceName: string,
    private readonly now: () => number = Date.now,
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
    const secret = randomSecret();
    return (await this.store.settings.setIfAbsent(SETTING.setupTokenHash, hashOfSecret(secret))) ? secret : null;
  }

  /** A new setup secret, replacing any earlier one (the CLI's setup-link). Null once set up. */
  async newSecret(): Promise<string | null> {
    if (!(await this.needsSetup())) return null;
    const secret = randomSecret();
    await this.store.settings.set(SETTING.setupTokenHash, hashOfSecret(secret));
    return secret;
  }

  /** Whether this is the current setup secret (so the form is worth showing). */
  async isValidSecret(secret: string): Promise<boolean> {
    return (await this.needsSetup()) && (await this.store.settings.get(SETTING.setupTokenHash)) === hashOfSecret(secret);
  }

  /** Names the instance and creates the first administrator. Null if the link is not (or no longer) valid. */
  async complete(secret: string, input: SetupInput): Promise<Actor | null> {
    if (!(await this.isValidSecret(secret))) return null;
    const { instanceName, ...person } = checkFields({
      instanceName: () => requireText(input.instanceName, "instanceName", "The instance's name", 100),
      ...personChecks(input),
    });
    const admin = { ...(await personRecord(person, input)), isAdmin: true };
    const keys = await generateActorKeys();
    const created = await this.store.transaction(async (tx) => {
      // Taking the secret is the claim: of two setups with the same link, the second finds it gone and changes nothing.
      if (!(await tx.settings.take(SETTING.setupTokenHash, hashOfSecret(secret)))) return null;
      await tx.settings.set(SETTING.instanceName, instanceName);
      return tx.actors.create(admin, keys);
    });
    // This process's pages show the name at once.
    if (created) this.storedName = instanceName;
    return created;
  }

  /** The instance's name: as set up on the web, else from the configuration. */
  async instanceName(): Promise<string> {
    // Every page shows it. Setup stores it once and nothing changes it after, so once found it is kept; until then
    // (no setup on the web, or not yet) the answer is kept a few seconds, as the time zone is, so another process's setup shows soon.
    const now = this.now();
    if (this.storedName === null && this.lookAgainAt <= now) {
      this.storedName = await this.store.settings.get(SETTING.instanceName);
      this.lookAgainAt = now + NAME_CACHE_MS;
    }
    return this.storedName ?? this.defaultInstanceName;
  }

  private storedName: string | null = null;
  private lookAgainAt = 0;
}

/** The one-time setup page for a secret. */
export const setupUrl = (origin: string, secret: string) => absoluteUrl(origin, setupPath(secret));
