import type { Clock } from "../domain/clock.ts";
import { DomainError, forbidden, invalid, notFound } from "../domain/errors.ts";
import { normaliseHandle } from "../domain/handle.ts";
import type { Actor } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import { checkPassword } from "./actors.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { hashOfSecret, randomSecret } from "./secrets.ts";

/** How long a password reset link works. */
export const RESET_HOURS = 24;

/**
 * Who may make a reset link: an instance administrator, the operator at the
 * command line, or the person themselves asking for one to be emailed to the
 * address they gave (`ForgottenPasswordService`).
 */
export type ResetIssuer = Actor | "command line" | "by email";

export interface IssuedReset {
  /** The link's secret: shown once, stored only as a hash. */
  secret: string;
  person: Actor;
  expiresAt: Date;
}

/**
 * Passwords after sign-up: a person changes their own (knowing the current
 * one), and an administrator gives a person a one-time link to choose a new
 * one. A changed password ends every other session of the person; a reset
 * ends them all.
 */
export class PasswordService {
  constructor(
    private readonly store: Store,
    private readonly now: Clock,
  ) {}

  /** Changes a person's password; `sessionSecret` is the session to keep (the one asking). */
  async change(person: Actor, sessionSecret: string | null, current: string, next: string): Promise<void> {
    if (person.kind !== "person" || person.deactivatedAt) throw forbidden("Only people with an active account have a password.");
    const fields: Record<string, string> = {};
    const stored = await this.store.actors.passwordHash(person.id);
    if (!current || !stored || !(await verifyPassword(current, stored))) fields.current = "is not your current password";
    try {
      checkPassword(next ?? "");
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      Object.assign(fields, error.fields);
    }
    if (Object.keys(fields).length > 0) throw invalid("Check the passwords.", fields);
    const hash = await hashPassword(next);
    await this.store.transaction(async (tx) => {
      await tx.accounts.setPasswordHash(person.id, hash);
      await tx.accounts.endSessions(person.id, sessionSecret ? hashOfSecret(sessionSecret) : undefined);
    });
  }

  /** A one-time link for a person to choose a new password, for an administrator to pass on (or to be emailed to them). */
  async issueReset(acting: ResetIssuer, handle: string, now = new Date(this.now())): Promise<IssuedReset> {
    if (typeof acting !== "string" && (acting.kind !== "person" || !acting.isAdmin || acting.deactivatedAt)) {
      throw forbidden("Only the instance's administrators can make password reset links.");
    }
    const person = await this.store.actors.findByHandle(normaliseHandle(handle ?? ""));
    if (person?.kind !== "person" || person.deactivatedAt)
      throw notFound(`There is no active person @${normaliseHandle(handle ?? "")} here.`);
    const secret = randomSecret();
    const expiresAt = new Date(now.getTime() + RESET_HOURS * 3_600_000);
    await this.store.accounts.createPasswordReset({
      id: hashOfSecret(secret),
      personId: person.id,
      createdBy: typeof acting === "string" ? null : acting.id,
      createdAt: now,
      expiresAt,
    });
    return { secret, person, expiresAt };
  }

  /** The person a reset link is for, if it can still be used. */
  async openReset(secret: string): Promise<Actor | null> {
    const personId = secret ? await this.store.accounts.openPasswordReset(hashOfSecret(secret), new Date(this.now())) : null;
    return personId === null ? null : this.store.actors.findById(personId);
  }

  /** Sets the new password through a reset link, ending every session; null if the link was used or has expired. */
  async completeReset(secret: string, next: string): Promise<Actor | null> {
    checkPassword(next ?? "");
    const hash = await hashPassword(next);
    const personId = await this.store.transaction(async (tx) => {
      // The claim first: of two uses of one link, only one matches the open reset.
      const claimed = secret ? await tx.accounts.claimPasswordReset(hashOfSecret(secret), new Date(this.now())) : null;
      if (claimed === null) return null;
      await tx.accounts.setPasswordHash(claimed, hash);
      await tx.accounts.endSessions(claimed);
      return claimed;
    });
    return personId === null ? null : this.store.actors.findById(personId);
  }
}
