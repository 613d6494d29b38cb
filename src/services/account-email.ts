import { validateEmail } from "../domain/email.ts";
import { DomainError, forbidden, invalid } from "../domain/errors.ts";
import type { Actor } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import { verifyPassword } from "./passwords.ts";

/**
 * A person's own email address, where password reset links go when they ask
 * for one. Only the person sees or changes it, knowing their password: whoever
 * holds the address can take over the account.
 */
export class AccountEmailService {
  constructor(private readonly store: Store) {}

  /** The signed-in person's own address, or null. */
  async of(person: Actor): Promise<string | null> {
    return person.kind === "person" ? this.store.accounts.emailOf(person.id) : null;
  }

  /** Sets the person's address ("" clears it), given their current password; returns what is stored. */
  async change(person: Actor, current: string, email: string): Promise<string | null> {
    if (person.kind !== "person" || person.deactivatedAt) throw forbidden("Only people with an active account have an email address here.");
    const fields: Record<string, string> = {};
    const stored = await this.store.actors.passwordHash(person.id);
    if (!current || !stored || !(await verifyPassword(current, stored))) fields.current = "is not your current password";
    let address: string | null = null;
    if ((email ?? "").trim() !== "") {
      try {
        address = validateEmail(email);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        Object.assign(fields, error.fields);
      }
    }
    if (Object.keys(fields).length > 0) throw invalid("Check the form.", fields);
    await this.store.accounts.setEmail(person.id, address);
    return address;
  }
}
