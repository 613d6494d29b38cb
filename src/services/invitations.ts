import { readTimeZone } from "./instance-settings.ts";
import type { Clock } from "../domain/clock.ts";
import { validateEmail } from "../domain/email.ts";
import { forbidden, invalid, notFound } from "../domain/errors.ts";
import type { Actor, Invitation } from "../domain/types.ts";
import { absoluteUrl, invitationPath } from "../domain/urls.ts";
import type { Store } from "../storage/repositories.ts";
import { newPersonRecord, type NewPerson } from "./actors.ts";
import { checkFieldsAsync } from "./field-checks.ts";
import { generateActorKeys } from "./keys.ts";
import type { MailFailureHandler, Mailer } from "./mail.ts";
import { invitationMessage } from "./mail-messages.ts";
import { hashOfSecret, randomSecret } from "./secrets.ts";

/** How long an invitation link works. */
export const INVITATION_DAYS = 7;

export interface IssuedInvitation {
  /** The link's secret: shown to the administrator once, stored only as a hash. */
  secret: string;
  invitation: Invitation;
}

/** An invitation made with an address to email its link to: whether the message went. */
export interface EmailedInvitation extends IssuedInvitation {
  /** Where the link was to be emailed; null when no address was given or email is off. */
  emailedTo: string | null;
  /** Whether the mail server took the message (false: the administrator passes the link on themselves). */
  sent: boolean;
}

/** What emailing invitations needs; without a mailer, links are only shown to the administrator. */
export interface InvitationMail {
  mailer: Mailer | null;
  origin: string;
  instanceName: () => Promise<string>;
  onMailFailure: MailFailureHandler;
}

const NO_MAIL: InvitationMail = { mailer: null, origin: "http://localhost", instanceName: async () => "Connexo", onMailFailure: () => {} };

/** Administrators invite people with one-time links; the invited person chooses their handle and password. */
export class InvitationService {
  constructor(
    private readonly store: Store,
    private readonly now: Clock,
    private readonly mail: InvitationMail = NO_MAIL,
  ) {}

  /** Whether invitation links can be emailed (the instance sends email). */
  get emails(): boolean {
    return this.mail.mailer !== null;
  }

  async invite(admin: Actor, note: string, now = new Date(this.now())): Promise<IssuedInvitation> {
    if (!admin.isAdmin) throw forbidden("Only administrators can invite people.");
    const text = checkNote(note);
    const secret = randomSecret();
    const invitation = {
      id: hashOfSecret(secret),
      invitedBy: admin.id,
      note: text,
      expiresAt: new Date(now.getTime() + INVITATION_DAYS * 86_400_000),
    };
    await this.store.accounts.createInvitation(invitation);
    return { secret, invitation: { ...invitation, createdAt: now, acceptedAt: null, acceptedBy: null } };
  }

  /**
   * An invitation whose link is also emailed to `email`, when one is given
   * and the instance sends email. The link is made either way: if the message
   * does not go, the administrator still has it to pass on.
   */
  async inviteByEmail(admin: Actor, note: string, email: string): Promise<EmailedInvitation> {
    if (!admin.isAdmin) throw forbidden("Only administrators can invite people.");
    const mailer = this.mail.mailer;
    const typed = (email ?? "").trim();
    // Both fields are checked before anything is made, so the form shows every problem at once.
    const { email: address } = await checkFieldsAsync<{ note: string; email: string | null }>({
      note: () => checkNote(note),
      email: () => (mailer && typed ? validateEmail(typed) : null),
    });
    const issued = await this.invite(admin, note);
    if (!mailer || address === null) return { ...issued, emailedTo: null, sent: false };
    const message = invitationMessage({
      to: address,
      instanceName: await this.mail.instanceName(),
      inviterName: admin.displayName,
      link: absoluteUrl(this.mail.origin, invitationPath(issued.secret)),
      expiresAt: issued.invitation.expiresAt,
      timeZone: await readTimeZone(this.store),
    });
    try {
      await mailer.send(message);
      return { ...issued, emailedTo: address, sent: true };
    } catch (error) {
      this.mail.onMailFailure(error, message);
      return { ...issued, emailedTo: address, sent: false };
    }
  }

  /** The invitation behind a link, if it can still be used. */
  async open(secret: string, now = new Date(this.now())): Promise<Invitation | null> {
    const invitation = secret ? await this.store.accounts.findInvitation(hashOfSecret(secret)) : null;
    return invitation && !invitation.acceptedAt && invitation.expiresAt > now ? invitation : null;
  }

  /** Creates the invited person; null if the link was used already or has expired. */
  async accept(secret: string, input: NewPerson, now = new Date(this.now())): Promise<Actor | null> {
    if (!(await this.open(secret, now))) return null;
    const person = { ...(await newPersonRecord(input)), isAdmin: false };
    const keys = await generateActorKeys();
    const id = hashOfSecret(secret);
    return this.store.transaction(async (tx) => {
      // The claim first: of two acceptances of one link, only one matches the open invitation.
      if (!(await tx.accounts.claimInvitation(id, now))) return null;
      const actor = await tx.actors.create(person, keys);
      await tx.accounts.setInvitee(id, actor.id);
      return actor;
    });
  }

  /** An administrator withdraws an invitation that has not been used; its link stops working. */
  async cancel(admin: Actor, id: string): Promise<void> {
    if (!admin.isAdmin) throw forbidden("Only administrators can cancel invitations.");
    if (!(await this.store.accounts.cancelInvitation(id))) throw notFound("There is no such invitation waiting to be used.");
  }

  async pending(admin: Actor, now = new Date(this.now())): Promise<Invitation[]> {
    if (!admin.isAdmin) throw forbidden("Only administrators can see invitations.");
    return this.store.accounts.pendingInvitations(now);
  }
}

/** An invitation's note, trimmed; at most 200 characters. */
function checkNote(note: string): string {
  const text = (note ?? "").trim();
  if (text.length > 200) throw invalid("The note may be at most 200 characters.", { note: "at most 200 characters" });
  return text;
}
