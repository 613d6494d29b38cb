import { tooMany, unauthorized } from "../domain/errors.ts";
import { normaliseHandle } from "../domain/handle.ts";
import type { Actor, Session } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import { hashOfNoAccount, verifyPassword } from "./passwords.ts";
import { hashOfSecret, randomSecret } from "./secrets.ts";

/** How long a sign-in lasts. */
export const SESSION_DAYS = 14;
/** Failed sign-ins allowed per account, and per client address, in the window. */
export const LOGIN_LIMITS = { perAccount: 5, perClient: 20, windowMinutes: 15 };

export interface SignedIn {
  /** The cookie's secret: shown to the browser once, stored only as a hash. */
  secret: string;
  session: Session;
}

/** Signing in and out of the web interface. */
export class SessionService {
  constructor(private readonly store: Store) {}

  /**
   * Checks a handle and password. Too many failures for the account or from
   * the client address in the last minutes are refused before any check.
   */
  async signIn(handleInput: string, password: string, clientAddress: string, now = new Date()): Promise<SignedIn> {
    const handle = normaliseHandle(handleInput ?? "");
    const keys = [`account:${handle}`, `client:${clientAddress}`];
    const since = new Date(now.getTime() - LOGIN_LIMITS.windowMinutes * 60_000);
    const [byAccount, byClient] = await Promise.all(keys.map((key) => this.store.accounts.countLoginFailures(key, since)));
    if (byAccount! >= LOGIN_LIMITS.perAccount || byClient! >= LOGIN_LIMITS.perClient) {
      throw tooMany(`Too many failed sign-ins. Wait ${LOGIN_LIMITS.windowMinutes} minutes and try again.`);
    }
    const person = handle ? await this.store.actors.findByHandle(handle) : null;
    const passwordHash = person?.kind === "person" && !person.deactivatedAt ? await this.store.actors.passwordHash(person.id) : null;
    // Check a password even when there is no account, so timing does not tell which handles exist.
    const matches = await verifyPassword(password ?? "", passwordHash ?? (await hashOfNoAccount()));
    if (!person || !passwordHash || !matches) {
      await this.store.accounts.recordLoginFailure(keys, now);
      throw unauthorized("That handle and password do not match an active account.");
    }
    await this.store.accounts.clearLoginFailures(keys[0]!);
    return this.start(person, now);
  }

  /** A new session for a person whose identity is already established (just signed in, or just created their account). */
  async start(person: Actor, now = new Date()): Promise<SignedIn> {
    const secret = randomSecret(32);
    const session = { person, csrfToken: randomSecret(), expiresAt: new Date(now.getTime() + SESSION_DAYS * 86_400_000) };
    await this.store.accounts.createSession({ id: hashOfSecret(secret), personId: person.id, csrfToken: session.csrfToken, expiresAt: session.expiresAt });
    return { secret, session };
  }

  async resume(secret: string, now = new Date()): Promise<Session | null> {
    return secret ? this.store.accounts.findSession(hashOfSecret(secret), now) : null;
  }

  async signOut(secret: string): Promise<void> {
    if (secret) await this.store.accounts.deleteSession(hashOfSecret(secret));
  }
}
