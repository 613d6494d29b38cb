import type { Clock } from "../domain/clock.ts";
import { forbidden, invalid, notFound } from "../domain/errors.ts";
import type { Actor, Invitation } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import { newPersonRecord, type NewPerson } from "./actors.ts";
import { generateActorKeys } from "./keys.ts";
import { hashOfSecret, randomSecret } from "./secrets.ts";

/** How long an invitation link works. */
export const INVITATION_DAYS = 7;

export interface IssuedInvitation {
  /** The link's secret: shown to the administrator once, stored only as a hash. */
  secret: string;
  invitation: Invitation;
}

/** Administrators invite people with one-time links; the invited person chooses their handle and password. */
export class InvitationService {
  constructor(
    private readonly store: Store,
    private readonly now: Clock,
  ) {}

  async invite(admin: Actor, note: string, now = new Date(this.now())): Promise<IssuedInvitation> {
    if (!admin.isAdmin) throw forbidden("Only administrators can invite people.");
    const text = (note ?? "").trim();
    if (text.length > 200) throw invalid("The note may be at most 200 characters.", { note: "at most 200 characters" });
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
