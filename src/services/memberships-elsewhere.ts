import { randomUUID } from "node:crypto";
import type { Clock } from "../domain/clock.ts";
import { conflict, forbidden, invalid, notFound } from "../domain/errors.ts";
import { isAccountAt, normaliseRemoteAccount } from "../domain/handle.ts";
import { membershipName } from "../domain/remote-actor-names.ts";
import type { Actor, MembershipElsewhere, RemoteActorInput, Role } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import type { ActorService } from "./actors.ts";
import { notify } from "./notify.ts";
import { can } from "./permissions.ts";

/**
 * Local people's memberships of communities on other servers: invitations
 * they receive, requests to join they send, leaving. The community's own
 * server decides roles; this server only shows what that server said, and
 * believes it only from that community (the inbox checks who signed it).
 */
export class MembershipElsewhereService {
  constructor(
    private readonly store: Store,
    private readonly actors: ActorService,
    private readonly origin: string,
    private readonly now: Clock = () => Date.now(),
  ) {}

  /** A community elsewhere invites a person here (an `Invite` it signed). */
  async receiveInvite(
    personHandle: string,
    community: RemoteActorInput,
    invite: { uri: string; role: Role | null; membershipUri: string | null },
  ): Promise<boolean> {
    const person = await this.actors.find(personHandle);
    if (!person || person.kind !== "person" || person.deactivatedAt) return false;
    if (await this.store.accountBlocks.isBlocked(community.uri)) return false;
    return this.store.transaction(async (tx) => {
      const saved = await tx.remoteActors.upsert(community);
      const existing = await tx.memberships.elsewhereByCommunity(person.id, community.uri);
      if (existing?.state === "active") return false;
      const fields = { state: "invited" as const, role: invite.role, activityUri: invite.uri, membershipUri: invite.membershipUri };
      if (existing) await tx.memberships.updateElsewhere(existing.id, fields);
      else
        await tx.memberships.addElsewhere({
          id: randomUUID(),
          personId: person.id,
          target: community.uri,
          remoteActorId: saved.id,
          ...fields,
        });
      await notify(tx, {
        recipient: person,
        kind: "invitation",
        source: invite.uri,
        subjectUri: saved.uri,
        actor: { uri: saved.uri, name: saved.name ?? saved.handle, url: saved.url },
        details: { title: saved.name ?? saved.handle ?? saved.uri, ...(invite.role ? { role: invite.role } : {}) },
        at: new Date(this.now()),
      });
      return true;
    });
  }

  /** The person accepts or declines an invitation; their server answers the community's Invite. */
  async answerInvitation(person: Actor, membershipId: string, accept: boolean): Promise<MembershipElsewhere> {
    return this.store.transaction(async (tx) => {
      const membership = await this.requireOwn(tx, person, membershipId);
      if (membership.state !== "invited") throw conflict(`There is no open invitation from ${membershipName(membership)}.`);
      if (accept) await tx.memberships.updateElsewhere(membershipId, { state: "active" });
      else await tx.memberships.removeElsewhere(membershipId);
      await tx.events.record([
        {
          type: "elsewhere.answered",
          personId: person.id,
          communityUri: membership.community!.uri,
          inviteUri: membership.activityUri!,
          accepted: accept,
        },
      ]);
      return { ...membership, state: accept ? "active" : membership.state };
    });
  }

  /** The person asks to join a community elsewhere (`@team@server` or its URL); it is looked up and asked in the background. */
  async requestJoin(person: Actor, account: string): Promise<MembershipElsewhere> {
    const target = normaliseRemoteAccount(account);
    if (!target) {
      throw invalid("Give the community as @name@server, or the address of its page.", {
        community: "use @name@server or the address of its page",
      });
    }
    if (isAccountAt(target, this.origin)) {
      throw invalid("That community is on this server: ask one of its administrators.", { community: "a community on this server" });
    }
    return this.store.transaction(async (tx) => {
      const existing = await tx.memberships.elsewhereByTarget(person.id, target);
      if (existing && existing.state !== "failed")
        throw conflict(`You have already asked to join ${target}.`, { community: "already asked" });
      if (existing) await tx.memberships.removeElsewhere(existing.id);
      const id = randomUUID();
      await tx.memberships.addElsewhere({
        id,
        personId: person.id,
        target,
        remoteActorId: null,
        role: null,
        state: "resolving",
        activityUri: null,
        membershipUri: null,
      });
      await tx.events.record([{ type: "elsewhere.requested", membershipId: id }]);
      return (await tx.memberships.findElsewhere(id))!;
    });
  }

  /**
   * The background lookup found the community (and the Join is being sent
   * with this id), or found no community. Returns the person's handle to
   * send as, or null when nothing is to be sent.
   */
  async joinResolved(membershipId: string, community: RemoteActorInput | null, joinUri: string): Promise<Actor | null> {
    return this.store.transaction(async (tx) => {
      const membership = await tx.memberships.findElsewhere(membershipId);
      if (!membership || membership.state !== "resolving") return null;
      const isGroup = community?.type === "Group";
      const other = community ? await tx.memberships.elsewhereByCommunity(membership.personId, community.uri) : null;
      if (!community || !isGroup || (other && other.id !== membershipId)) {
        await tx.memberships.updateElsewhere(membershipId, { state: "failed" });
        return null;
      }
      const saved = await tx.remoteActors.upsert(community);
      await tx.memberships.updateElsewhere(membershipId, { remoteActorId: saved.id, state: "requested", activityUri: joinUri });
      return tx.actors.findById(membership.personId);
    });
  }

  /** The community accepted or rejected a request to join (its `Accept` or `Reject` of our Join). */
  async receiveJoinAnswer(
    joinUri: string,
    communityUri: string,
    answer: { accepted: boolean; role: Role | null; membershipUri: string | null },
  ): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const membership = await tx.memberships.elsewhereByActivity(joinUri);
      if (!membership || membership.state !== "requested" || membership.community?.uri !== communityUri) return false;
      if (!answer.accepted) return tx.memberships.removeElsewhere(membership.id);
      return tx.memberships.updateElsewhere(membership.id, {
        state: "active",
        role: answer.role ?? membership.role,
        membershipUri: answer.membershipUri ?? membership.membershipUri,
      });
    });
  }

  /**
   * The community says a person here joined, has a new role, or was removed
   * (its `Add`, `Update` or `Remove`). It can only speak of a membership the
   * person agreed to: an `Add` out of the blue makes no one a member.
   */
  async receiveMemberChange(
    personHandle: string,
    communityUri: string,
    change: { action: "added" | "role" | "removed"; role: Role | null; membershipUri: string | null },
  ): Promise<boolean> {
    const person = await this.actors.find(personHandle);
    if (!person || person.kind !== "person") return false;
    return this.store.transaction(async (tx) => {
      const membership = await tx.memberships.elsewhereByCommunity(person.id, communityUri);
      if (!membership || membership.state === "resolving" || membership.state === "failed") return false;
      if (change.action === "removed") return tx.memberships.removeElsewhere(membership.id);
      if (change.action === "role" && membership.state !== "active") return false;
      return tx.memberships.updateElsewhere(membership.id, {
        state: "active",
        role: change.role ?? membership.role,
        membershipUri: change.membershipUri ?? membership.membershipUri,
      });
    });
  }

  /** The person leaves a community elsewhere, or withdraws their request to join. */
  async leave(person: Actor, membershipId: string): Promise<MembershipElsewhere> {
    return this.store.transaction(async (tx) => {
      const membership = await this.requireOwn(tx, person, membershipId);
      await tx.memberships.removeElsewhere(membershipId);
      if (membership.community && (membership.state === "active" || membership.state === "requested")) {
        await tx.events.record([
          { type: "elsewhere.left", personId: person.id, communityUri: membership.community.uri, leaveId: randomUUID() },
        ]);
      }
      return membership;
    });
  }

  /**
   * A person here who moderates a community elsewhere asks it to take a post
   * out; the community's server checks their role and does it.
   */
  async requestWithdrawal(person: Actor, communityUri: string, postUri: string): Promise<void> {
    const membership = await this.store.memberships.elsewhereByCommunity(person.id, communityUri);
    if (!membership || membership.state !== "active" || !can(membership.role, "moderate")) {
      throw forbidden("Only the community's facilitators and administrators can take posts out of it.");
    }
    if (!URL.canParse(postUri)) throw invalid("Name the post by its address.", { post: "the post's address" });
    await this.store.events.record([{ type: "elsewhere.withdraw", personId: person.id, communityUri, postUri, requestId: randomUUID() }]);
  }

  /** A person's memberships elsewhere in every state, oldest first. */
  of(person: Actor): Promise<MembershipElsewhere[]> {
    return this.store.memberships.elsewhereOf(person.id);
  }

  find(membershipId: string): Promise<MembershipElsewhere | null> {
    return this.store.memberships.findElsewhere(membershipId);
  }

  /** Communities elsewhere this person may publish in, as that community's server told us. */
  async publishableCommunities(person: Actor): Promise<MembershipElsewhere[]> {
    return (await this.of(person)).filter((m) => m.state === "active" && m.community && can(m.role, "publish"));
  }

  /** The person's active membership of this community elsewhere with the publish permission, or a clear refusal. */
  async requirePublisher(person: Actor, communityUri: string): Promise<MembershipElsewhere> {
    const membership = await this.store.memberships.elsewhereByCommunity(person.id, communityUri);
    if (!membership || membership.state !== "active" || !can(membership.role, "publish")) {
      throw invalid("You can publish only in communities where you may publish.", { community: "not a community you publish in" });
    }
    return membership;
  }

  private async requireOwn(tx: Store, person: Actor, membershipId: string): Promise<MembershipElsewhere> {
    const membership = await tx.memberships.findElsewhere(membershipId);
    if (!membership || membership.personId !== person.id) throw notFound("There is no such membership.");
    return membership;
  }
}
