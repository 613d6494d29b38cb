import { tooMany, unauthorized } from "../domain/errors.ts";
import { normaliseHandle } from "../domain/handle.ts";
import type { Actor, Session } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import { hashOfNoAccount, verifyPassword } from "./passwords.ts";
import { hashOfSecret, randomSecret } from "./secrets.ts";

/** How long a sign-in lasts. */
export const SESSION_DAYS = 14;
/**
 * How failed sign-ins slow down further attempts, counted over the last
 * `windowMinutes`. After `free` failures, the next attempt is considered
 * only once `firstWaitSeconds` have passed since the latest failure; each
 * further failure doubles the wait, up to `maxWaitSeconds`. Refused attempts
 * do not count, so waiting the time said is always enough.
 */
export const SIGN_IN_THROTTLE = {
  windowMinutes: 60,
  /** From one client address: a guesser trying many accounts is slowed to a few guesses an hour. */
  perClient: { free: 20, firstWaitSeconds: 1, maxWaitSeconds: 15 * 60 },
  /**
   * On one account, from anywhere: never longer than a minute, so that
   * guesses at someone's account cannot lock them out; a correct password
   * sent once the wait is over signs them in.
   */
  perAccount: { free: 5, firstWaitSeconds: 2, maxWaitSeconds: 60 },
};

type Throttle = (typeof SIGN_IN_THROTTLE)["perAccount"];

const ACCOUNT = "account:";
const accountKey = (handle: string) => `${ACCOUNT}${handle}`;
const clientKey = (address: string) => `client:${address}`;

/** The wait after this many failures, in seconds (0 while they are free). */
function waitAfter(failures: number, throttle: Throttle): number {
  if (failures < throttle.free) return 0;
  return Math.min(throttle.maxWaitSeconds, throttle.firstWaitSeconds * 2 ** (failures - throttle.free));
}

export interface SignedIn {
  /** The cookie's secret: shown to the browser once, stored only as a hash. */
  secret: string;
  session: Session;
}

/** Signing in and out of the web interface. */
export class SessionService {
  constructor(
    private readonly store: Store,
    /** The current time in epoch milliseconds (tests move it on instead of waiting). */
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Checks a handle and password. While the account, or the client address,
   * must still wait after failed sign-ins, the attempt is refused before any
   * check, saying how many seconds are left.
   */
  async signIn(handleInput: string, password: string, clientAddress: string): Promise<SignedIn> {
    const handle = normaliseHandle(handleInput ?? "");
    const keys = [accountKey(handle), clientKey(clientAddress)];
    const now = this.now();
    const wait = Math.max(
      await this.secondsToWait(keys[0]!, SIGN_IN_THROTTLE.perAccount, now),
      await this.secondsToWait(keys[1]!, SIGN_IN_THROTTLE.perClient, now),
    );
    if (wait > 0) throw tooMany(`Too many failed sign-ins. Wait ${wait} second${wait === 1 ? "" : "s"} and try again.`, wait);
    const person = handle ? await this.store.actors.findByHandle(handle) : null;
    const passwordHash = person?.kind === "person" && !person.deactivatedAt ? await this.store.actors.passwordHash(person.id) : null;
    // Check a password even when there is no account, so timing does not tell which handles exist.
    const matches = await verifyPassword(password ?? "", passwordHash ?? (await hashOfNoAccount()));
    if (!person || !passwordHash || !matches) {
      await this.store.accounts.recordLoginFailure(keys, new Date(now));
      throw unauthorized("That handle and password do not match an active account.");
    }
    await this.store.accounts.clearLoginFailures(keys[0]!);
    return this.start(person);
  }

  /**
   * Forgets the failed sign-ins on a person's account, so they may sign in at
   * once (an administrator's remedy; the address a guesser used stays slowed).
   */
  async clearFailures(person: Actor): Promise<void> {
    await this.store.accounts.clearLoginFailures(accountKey(person.handle));
  }

  /** The accounts whose sign-in is being slowed (enough recent failures for a wait), by handle, with how many failures. */
  async slowedAccounts(): Promise<Map<string, number>> {
    const now = this.now();
    const counts = await this.store.accounts.loginFailureCounts(ACCOUNT, this.windowStart(now));
    return new Map(
      [...counts]
        .filter(([, failures]) => waitAfter(failures, SIGN_IN_THROTTLE.perAccount) > 0)
        .map(([key, failures]) => [key.slice(ACCOUNT.length), failures]),
    );
  }

  /** How many seconds this account or address must still wait before its next attempt (0: it may try now). */
  private async secondsToWait(key: string, throttle: Throttle, now: number): Promise<number> {
    const { count, latest } = await this.store.accounts.loginFailures(key, this.windowStart(now));
    if (!latest) return 0;
    const allowedAt = latest.getTime() + waitAfter(count, throttle) * 1000;
    return Math.max(0, Math.ceil((allowedAt - now) / 1000));
  }

  private windowStart(now: number): Date {
    return new Date(now - SIGN_IN_THROTTLE.windowMinutes * 60_000);
  }

  /** A new session for a person whose identity is already established (just signed in, or just created their account). */
  async start(person: Actor): Promise<SignedIn> {
    const now = new Date(this.now());
    const secret = randomSecret(32);
    const session = { person, csrfToken: randomSecret(), expiresAt: new Date(now.getTime() + SESSION_DAYS * 86_400_000) };
    await this.store.accounts.createSession({
      id: hashOfSecret(secret),
      personId: person.id,
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt,
    });
    return { secret, session };
  }

  async resume(secret: string): Promise<Session | null> {
    return secret ? this.store.accounts.findSession(hashOfSecret(secret), new Date(this.now())) : null;
  }

  async signOut(secret: string): Promise<void> {
    if (secret) await this.store.accounts.deleteSession(hashOfSecret(secret));
  }
}
