import { readTimeZone } from "./instance-settings.ts";
import type { Clock } from "../domain/clock.ts";
import { isEmailAddress, normaliseEmail } from "../domain/email.ts";
import { invalid, tooMany } from "../domain/errors.ts";
import { normaliseHandle } from "../domain/handle.ts";
import { absoluteUrl, passwordResetPath } from "../domain/urls.ts";
import type { Store } from "../storage/repositories.ts";
import type { MailFailureHandler, Mailer } from "./mail.ts";
import { passwordResetMessage } from "./mail-messages.ts";
import type { IssuedReset, PasswordService } from "./password-changes.ts";
import type { Actor } from "../domain/types.ts";

/**
 * How often a reset link may be asked for, over the last `windowMinutes`:
 * naming one account (by what was typed), and from one client address (a
 * shared office's address holds several people). Counted on the rows of
 * failed sign-ins, under keys of their own.
 */
export const FORGOTTEN_PASSWORD_LIMIT = { windowMinutes: 60, perAccount: 5, perClient: 10 };

const askedKey = (identifier: string) => `reset-asked:${identifier}`;
const clientKey = (address: string) => `reset-client:${address}`;
/** Links actually sent to a person, whichever of their handle or address was typed. */
const sentKey = (personId: number) => `reset-sent:${personId}`;

export interface ForgottenPasswordOptions {
  origin: string;
  instanceName: () => Promise<string>;
  now: Clock;
  onMailFailure: MailFailureHandler;
}

/**
 * "Forgot your password?": a person names their account, by handle or email
 * address, and a one-time reset link goes to the address they gave. Whoever
 * asks learns nothing of whether an account matched: the answer is the same,
 * and the message leaves in the background, so the answer never waits for the
 * mail server.
 */
export class ForgottenPasswordService {
  constructor(
    private readonly store: Store,
    private readonly passwords: PasswordService,
    private readonly mailer: Mailer | null,
    private readonly options: ForgottenPasswordOptions,
  ) {}

  /** Whether links can be asked for at all: only when the instance sends email. */
  get offered(): boolean {
    return this.mailer !== null;
  }

  /**
   * Sends a reset link to the account named, if it has an address. Throws
   * only for an empty field and when the account or client asked too often.
   */
  async request(typed: string, clientAddress: string): Promise<void> {
    const text = (typed ?? "").trim();
    if (text === "") throw invalid("Enter your handle or email address.", { account: "required" });
    if (!this.mailer) return;
    const byEmail = text.includes("@") && !text.startsWith("@");
    const identifier = byEmail ? normaliseEmail(text) : normaliseHandle(text);
    const keys = [askedKey(identifier), clientKey(clientAddress || "unknown")];
    const now = this.options.now();
    const wait = Math.max(
      await this.secondsToWait(keys[0]!, FORGOTTEN_PASSWORD_LIMIT.perAccount, now),
      await this.secondsToWait(keys[1]!, FORGOTTEN_PASSWORD_LIMIT.perClient, now),
    );
    if (wait > 0) throw tooMany("Too many requests for a password reset link. Try again later.", wait);
    await this.store.accounts.recordLoginFailure(keys, new Date(now));
    // The rest happens after the answer, one request after another: how long the answer takes must not tell
    // whether an account matched, and one request's count of links sent is written before the next reads it.
    const mailer = this.mailer;
    this.pending = this.pending
      .then(() => this.sendLink(mailer, byEmail, identifier, now))
      .catch((error: unknown) => this.options.onMailFailure(error, { subject: "Choose a new password" }));
  }

  /** Work done after a request is answered; settles once it is done (for the process's orderly stop, and tests). */
  settled(): Promise<void> {
    return this.pending;
  }

  private pending: Promise<void> = Promise.resolve();

  /** Sends a reset link to the account named, if it has an address and has not had too many links lately. */
  private async sendLink(mailer: Mailer, byEmail: boolean, identifier: string, now: number): Promise<void> {
    const person = byEmail
      ? isEmailAddress(identifier)
        ? await this.store.accounts.personByEmail(identifier)
        : null
      : await this.store.actors.findByHandle(identifier);
    if (person?.kind !== "person" || person.deactivatedAt) return;
    // Found by its address, the address is in hand; by its handle, it is looked up.
    const to = byEmail ? identifier : await this.store.accounts.emailOf(person.id);
    if (!to) return;
    // Asking by handle and by address count together here, and quietly: a refusal would tell the two belong together.
    if ((await this.secondsToWait(sentKey(person.id), FORGOTTEN_PASSWORD_LIMIT.perAccount, now)) > 0) return;
    await this.store.accounts.recordLoginFailure([sentKey(person.id)], new Date(now));

    const issued = await this.passwords.issueReset("by email", person.handle, new Date(now));
    const message = passwordResetMessage({
      to,
      instanceName: await this.options.instanceName(),
      handle: person.handle,
      link: absoluteUrl(this.options.origin, passwordResetPath(issued.secret)),
      expiresAt: issued.expiresAt,
      timeZone: await readTimeZone(this.store),
    });
    await mailer.send(message).catch((error: unknown) => this.options.onMailFailure(error, message));
  }

  /**
   * An administrator's reset link for a person, sent to the person's own
   * address when the instance sends email and they gave one. Whether it was
   * sent is the administrator's to know (the address is not shown); the link
   * is theirs to pass on otherwise.
   */
  async issueAndSend(admin: Actor, handle: string): Promise<IssuedReset & { link: string; emailed: boolean }> {
    const issued = await this.passwords.issueReset(admin, handle);
    const link = absoluteUrl(this.options.origin, passwordResetPath(issued.secret));
    const to = this.mailer ? await this.store.accounts.emailOf(issued.person.id) : null;
    if (!this.mailer || !to) return { ...issued, link, emailed: false };
    const message = passwordResetMessage({
      to,
      instanceName: await this.options.instanceName(),
      handle: issued.person.handle,
      link,
      expiresAt: issued.expiresAt,
      timeZone: await readTimeZone(this.store),
    });
    try {
      await this.mailer.send(message);
      return { ...issued, link, emailed: true };
    } catch (error) {
      this.options.onMailFailure(error, message);
      return { ...issued, link, emailed: false };
    }
  }

  /** Seconds until this key may ask again (0: now): once `limit` requests fall in the window, until the latest leaves it. */
  private async secondsToWait(key: string, limit: number, now: number): Promise<number> {
    const windowMs = FORGOTTEN_PASSWORD_LIMIT.windowMinutes * 60_000;
    const { count, latest } = await this.store.accounts.loginFailures(key, new Date(now - windowMs));
    if (count < limit || !latest) return 0;
    return Math.max(1, Math.ceil((latest.getTime() + windowMs - now) / 1000));
  }
}
