import { randomUUID } from "node:crypto";
import type { Clock } from "../domain/clock.ts";
import { conflict, forbidden, invalid, notFound } from "../domain/errors.ts";
import type { DomainEvent, MemberChange } from "../domain/events.ts";
import { isAccountAt, normaliseRemoteAccount } from "../domain/handle.ts";
import type { Actor, InvitationChannel, RemoteActorInput, RemoteMember, RemotePostInput, Role } from "../domain/types.ts";
import { organisationOf, remoteNameOf } from "../domain/remote-actor-names.ts";
import { sanitizeRemoteHtml } from "../domain/sanitize.ts";
import type { Store } from "../storage/repositories.ts";
import type { ActorService } from "./actors.ts";
import { can, isRole, ROLES } from "./permissions.ts";

/** How long an invitation by message stays open: its favourite or reply must come within this. */
export const MESSAGE_INVITATION_DAYS = 14;

/** What a member elsewhere sent to be published in a community, as the inbox read it. */
export interface MemberPostInput {
  post: Omit<RemotePostInput, "remoteActorId">;
  author: RemoteActorInput;
  /** The Create's id, announced to the community's followers. */
  activityUri: string;
}

/**
 * A local community's people on other servers: inviting them, their requests
 * to join, their roles, and what they publish in the community. A remote
 * person's role lives here alone: nothing another server sends grants or
 * changes it; their signed answer only says yes or no to what was offered.
 * Each workflow is one unit of work with the events that tell other servers.
 */
export class CommunityMemberService {
  constructor(
    private readonly store: Store,
    private readonly actors: ActorService,
    private readonly origin: string,
    private readonly now: Clock,
  ) {}

  /**
   * A manager invites someone elsewhere (`@user@host` or an actor URL) with a
   * role. Looking them up and sending the invitation happen in the background.
   */
  async invite(acting: Actor, communityHandle: string, account: string, role: string): Promise<RemoteMember> {
    const community = await this.actors.managedCommunity(acting, communityHandle);
    const target = normaliseRemoteAccount(account);
    const fields: Record<string, string> = {};
    if (!target) fields.person = "give their handle as @user@server, or the address of their profile";
    if (!isRole(role)) fields.role = `choose one of ${ROLES.join(", ")}`;
    if (target && !fields.role && isAccountAt(target, this.origin)) {
      fields.person = "this is someone on this server: give their handle without the server";
    }
    if (Object.keys(fields).length > 0) throw invalid(`Check the details: ${Object.values(fields).join("; ")}.`, fields);
    return this.store.transaction(async (tx) => {
      const existing = await tx.memberships.memberByTarget(community.id, target!);
      const lapsed = existing?.state === "invited" && existing.expiresAt !== null && existing.expiresAt.getTime() < this.now();
      if (existing && existing.state !== "failed" && !lapsed) {
        throw conflict(`${target} is already ${describeState(existing)} of ${community.displayName}.`, {
          person: `already ${describeState(existing)}`,
        });
      }
      if (existing) await tx.memberships.removeMember(existing.id);
      const id = randomUUID();
      await tx.memberships.addMember({
        id,
        communityId: community.id,
        target: target!,
        remoteActorId: null,
        role: role as Role,
        state: "resolving",
        channel: null,
        activityUri: null,
        invitedBy: acting.id,
        expiresAt: null,
      });
      await tx.events.record([{ type: "member.invited", memberId: id }]);
      return (await tx.memberships.findMember(id))!;
    });
  }

  /**
   * The background lookup found the person invited (or no one). The
   * invitation is then sent by `channel`; an invitation by message lapses
   * after MESSAGE_INVITATION_DAYS. Returns the membership, or null if it was
   * withdrawn meanwhile or the person is already in the community another way.
   */
  async invitationResolved(
    memberId: string,
    person: RemoteActorInput | null,
    sent: { channel: InvitationChannel; activityUri: string } | null,
  ): Promise<RemoteMember | null> {
    return this.store.transaction(async (tx) => {
      const member = await tx.memberships.findMember(memberId);
      if (!member || member.state !== "resolving") return null;
      if (!person || !sent) {
        await tx.memberships.updateMember(memberId, { state: "failed" });
        return null;
      }
      const other = await tx.memberships.memberByActor(member.communityId, person.uri);
      if (other && other.id !== memberId) {
        // Invited by handle someone already known by their URI: keep the one record.
        await tx.memberships.updateMember(memberId, { state: "failed" });
        return null;
      }
      const saved = await tx.remoteActors.upsert(person);
      const expiresAt = sent.channel === "message" ? new Date(this.now() + MESSAGE_INVITATION_DAYS * 86_400_000) : null;
      await tx.memberships.updateMember(memberId, {
        remoteActorId: saved.id,
        state: "invited",
        channel: sent.channel,
        activityUri: sent.activityUri,
        expiresAt,
      });
      return tx.memberships.findMember(memberId);
    });
  }

  /**
   * The person invited said yes or no, by an `Accept` or `Reject` of the
   * Invite, or (invited by message) by favouriting or answering it. Only the
   * person invited can answer, and only while the invitation is open.
   */
  async receiveInvitationAnswer(invitationUri: string, answeredBy: string, accepted: boolean): Promise<"joined" | "declined" | "ignored"> {
    return this.store.transaction(async (tx) => {
      const member = await tx.memberships.memberByActivity(invitationUri);
      if (!member || member.state !== "invited" || member.person?.uri !== answeredBy) return "ignored";
      if (member.expiresAt && member.expiresAt.getTime() < this.now()) return "ignored";
      if (!accepted) {
        await tx.memberships.removeMember(member.id);
        return "declined";
      }
      await tx.memberships.updateMember(member.id, { state: "active" });
      await tx.events.record([changed(member, "added")]);
      return "joined";
    });
  }

  /**
   * Someone elsewhere asks to join. Managers see the request on the members
   * page; someone already invited joins at once (they asked for what was offered).
   * An account blocked from the community is refused.
   */
  async receiveJoin(
    communityHandle: string,
    person: RemoteActorInput,
    joinUri: string,
  ): Promise<"requested" | "joined" | "ignored" | "refused"> {
    const community = await this.actors.find(communityHandle);
    if (!community || community.kind !== "community" || community.deactivatedAt) return "ignored";
    if (await this.store.accountBlocks.isBlocked(person.uri)) return "ignored";
    // Blocked from this community by its moderators: nothing is kept, and the inbox answers with a Reject.
    if (await this.store.communityBlocks.isBlocked(community.id, person.uri)) return "refused";
    return this.store.transaction(async (tx) => {
      const saved = await tx.remoteActors.upsert(person);
      const existing = await tx.memberships.memberByActor(community.id, person.uri);
      if (existing?.state === "active" || existing?.state === "requested") return "ignored";
      if (existing?.state === "invited") {
        await tx.memberships.updateMember(existing.id, { state: "active" });
        await tx.events.record([
          { type: "member.answered", memberId: existing.id, communityId: community.id, personUri: person.uri, joinUri, accepted: true },
          changed(existing, "added"),
        ]);
        return "joined";
      }
      if (existing) await tx.memberships.removeMember(existing.id);
      await tx.memberships.addMember({
        id: randomUUID(),
        communityId: community.id,
        target: person.uri,
        remoteActorId: saved.id,
        role: "member",
        state: "requested",
        channel: null,
        activityUri: joinUri,
        invitedBy: null,
        expiresAt: null,
      });
      return "requested";
    });
  }

  /** A manager accepts or rejects a request to join; an accepted member starts with the role given (member unless said). */
  async answerRequest(
    acting: Actor,
    communityHandle: string,
    memberId: string,
    accept: boolean,
    role: string = "member",
  ): Promise<RemoteMember> {
    const community = await this.actors.managedCommunity(acting, communityHandle);
    if (!isRole(role)) throw invalid(`Role must be one of ${ROLES.join(", ")}.`, { role: `choose one of ${ROLES.join(", ")}` });
    return this.store.transaction(async (tx) => {
      const member = await this.requireMember(tx, community, memberId);
      if (member.state !== "requested") throw conflict(`${nameOf(member)} has not asked to join ${community.displayName}.`);
      const answered: DomainEvent = {
        type: "member.answered",
        memberId,
        communityId: community.id,
        personUri: member.person!.uri,
        joinUri: member.activityUri!,
        accepted: accept,
      };
      if (!accept) {
        await tx.memberships.removeMember(memberId);
        await tx.events.record([answered]);
        return member;
      }
      await tx.memberships.updateMember(memberId, { state: "active", role: role as Role });
      const joined = { ...member, state: "active" as const, role: role as Role };
      await tx.events.record([answered, changed(joined, "added")]);
      return joined;
    });
  }

  /** A manager changes the role of someone elsewhere, or removes them (role null), or withdraws an invitation. */
  async manage(acting: Actor, communityHandle: string, memberId: string, role: string | null): Promise<RemoteMember> {
    const community = await this.actors.managedCommunity(acting, communityHandle);
    if (role !== null && !isRole(role))
      throw invalid(`Role must be one of ${ROLES.join(", ")}.`, { role: `choose one of ${ROLES.join(", ")}` });
    return this.store.transaction(async (tx) => {
      const member = await this.requireMember(tx, community, memberId);
      if (member.state !== "active") {
        if (role !== null) throw conflict(`${nameOf(member)} is not a member of ${community.displayName} yet.`);
        await tx.memberships.removeMember(memberId);
        return member;
      }
      if (member.role === "admin" && role !== "admin" && !(await this.hasOtherAdmin(tx, community, memberId))) {
        throw invalid(`${community.displayName} needs an administrator: make someone else one first.`, {
          role: `${nameOf(member)} is the only administrator; make someone else an administrator first`,
        });
      }
      if (role === null) {
        await tx.memberships.removeMember(memberId);
        await tx.events.record([changed(member, "removed")]);
        return member;
      }
      if (role === member.role) return member;
      await tx.memberships.updateMember(memberId, { role: role as Role });
      const updated = { ...member, role: role as Role };
      await tx.events.record([changed(updated, "role")]);
      return updated;
    });
  }

  /** The member's own server says they left (a `Leave` signed by them): the membership, or their request, ends. */
  async receiveLeave(communityHandle: string, personUri: string): Promise<boolean> {
    const community = await this.actors.find(communityHandle);
    if (!community || community.kind !== "community") return false;
    return this.store.transaction(async (tx) => {
      const member = await tx.memberships.memberByActor(community.id, personUri);
      if (!member || member.state === "resolving" || member.state === "failed") return false;
      await tx.memberships.removeMember(member.id);
      // Leaving is theirs to decide, even as the last administrator; this server's administrators can still manage it.
      if (member.state === "active") await tx.events.record([changed(member, "removed")]);
      return true;
    });
  }

  /**
   * A member elsewhere published in the community: kept on its page and
   * announced to its followers if they are an active member who may publish.
   * Anyone else's post (a non-member's, an observer's) changes nothing.
   */
  async receiveMemberPost(communityHandle: string, input: MemberPostInput): Promise<"shared" | "refused"> {
    const community = await this.actors.find(communityHandle);
    const { author } = input;
    if (!community || community.kind !== "community" || community.deactivatedAt) return "refused";
    return this.store.transaction(async (tx) => {
      // A member blocked from the community by its moderators publishes nothing in it.
      if (await tx.communityBlocks.isBlocked(community.id, author.uri)) return "refused";
      const role = await tx.memberships.activeRole(community.id, author.uri);
      if (!can(role, "publish")) return "refused";
      const saved = await tx.remoteActors.upsert(author);
      await tx.interactions.saveRemotePost({
        ...input.post,
        contentHtml: sanitizeRemoteHtml(input.post.contentHtml),
        decision: null,
        remoteActorId: saved.id,
      });
      // Delivered twice (to the community and to a follower's shared inbox, say): announced once.
      if (!(await tx.memberships.addCommunityPost(community.id, input.post.uri, saved.id))) return "shared";
      await tx.events.record([
        { type: "community.shared", communityId: community.id, postUri: input.post.uri, activityUri: input.activityUri, action: "create" },
      ]);
      return "shared";
    });
  }

  /**
   * A member's post in a community was changed or deleted by its author (the
   * inbox has applied it to the post): each community it is in announces the
   * `Update` or `Delete` to its followers.
   */
  async shareChange(postUri: string, authorUri: string, activityUri: string, action: "update" | "delete"): Promise<number> {
    const post = await this.store.interactions.findRemotePost(postUri);
    if (!post || post.author?.uri !== authorUri) return 0;
    const communities = await this.store.memberships.communityOfPost(postUri);
    await this.store.events.record(
      communities.map((communityId) => ({ type: "community.shared" as const, communityId, postUri, activityUri, action })),
    );
    return communities.length;
  }

  /**
   * A moderator here (a facilitator or administrator of the community, or an
   * administrator of this server) takes a member's post from elsewhere out of
   * the community: it leaves the community's page and the community takes
   * back its boost.
   */
  async withdrawPost(acting: Actor, communityHandle: string, postUri: string): Promise<void> {
    const community = await this.actors.require(communityHandle, "community");
    const role = await this.store.actors.membership(community.id, acting.id);
    if (!(acting.isAdmin || can(role, "moderate"))) {
      throw forbidden(`Only facilitators and administrators of ${community.displayName} can take posts out of it.`);
    }
    const withdrawn = await this.store.transaction(async (tx) => {
      if (!(await tx.memberships.removeCommunityPost(community.id, postUri))) return false;
      await tx.events.record([{ type: "community.withdrawn", communityId: community.id, post: { uri: postUri } }]);
      return true;
    });
    if (!withdrawn) throw notFound(`That post is not in ${community.displayName}.`);
  }

  /**
   * A moderator elsewhere (a facilitator or administrator of the community,
   * as this server alone knows) asks for a post to be taken out of it (their
   * signed `Remove`): a member's post from elsewhere leaves the community's
   * page; a post written here leaves the community but stays its author's.
   * Anyone else's request changes nothing.
   */
  async receiveWithdrawal(
    communityHandle: string,
    post: { uri: string } | { localPostId: string },
    moderatorUri: string,
  ): Promise<boolean> {
    const community = await this.actors.find(communityHandle);
    if (!community || community.kind !== "community") return false;
    return this.store.transaction(async (tx) => {
      if (!can(await tx.memberships.activeRole(community.id, moderatorUri), "moderate")) return false;
      if ("uri" in post) {
        if (!(await tx.memberships.removeCommunityPost(community.id, post.uri))) return false;
        await tx.events.record([{ type: "community.withdrawn", communityId: community.id, post }]);
        return true;
      }
      const local = await tx.posts.findById(post.localPostId);
      if (!local || local.communityId !== community.id || local.state !== "published") return false;
      const version = local.version + 1;
      await tx.posts.update({ ...local, communityId: null, version, updatedAt: new Date(this.now()) }, [
        { type: "post.updated", postId: local.id, version },
        { type: "community.withdrawn", communityId: community.id, post },
      ]);
      return true;
    });
  }

  /** Everyone elsewhere in the community: invited, asking, members, and invitations that found no one. */
  members(community: Actor): Promise<RemoteMember[]> {
    return this.store.memberships.membersOf(community.id);
  }

  /**
   * Who is in the community, here and elsewhere, with their roles and the
   * organisation each belongs to (people here: this instance's), for the
   * collections other servers read. Active people only.
   */
  async roster(community: Actor, instanceName: string): Promise<RosterEntry[]> {
    const [local, remote] = await Promise.all([this.store.actors.membershipsOfCommunity(community.id), this.members(community)]);
    return [
      ...local
        .filter((m) => !m.person.deactivatedAt)
        .map((m) => ({ member: { handle: m.person.handle }, name: m.person.displayName, role: m.role, organisation: instanceName })),
      ...remote
        .filter((m) => m.state === "active" && m.person)
        .map((m) => ({
          member: { remoteMemberId: m.id, personUri: m.person!.uri },
          name: remoteNameOf(m.person!),
          role: m.role,
          organisation: organisationOf(m.person!),
        })),
    ];
  }

  /** The role of an active member elsewhere, or null. */
  roleOf(community: Actor, personUri: string): Promise<Role | null> {
    return this.store.memberships.activeRole(community.id, personUri);
  }

  /** A membership by id, for its document. */
  find(memberId: string): Promise<RemoteMember | null> {
    return this.store.memberships.findMember(memberId);
  }

  private async requireMember(tx: Store, community: Actor, memberId: string): Promise<RemoteMember> {
    const member = await tx.memberships.findMember(memberId);
    if (!member || member.communityId !== community.id) throw notFound(`There is no such member of ${community.displayName}.`);
    return member;
  }

  /** Whether the community keeps an active administrator, here or elsewhere, besides this remote member. */
  private async hasOtherAdmin(tx: Store, community: Actor, memberId: string): Promise<boolean> {
    if ((await tx.actors.activeAdminsOf(community.id)).length > 0) return true;
    const remote = await tx.memberships.membersOf(community.id);
    return remote.some((m) => m.id !== memberId && m.role === "admin" && m.state === "active");
  }
}

/** One person in a community's roster: here (by handle) or elsewhere (by membership id and actor URI). */
export interface RosterEntry {
  member: { handle: string } | { remoteMemberId: string; personUri: string };
  name: string;
  role: Role;
  organisation: string;
}

function changed(member: RemoteMember, action: MemberChange["action"]): DomainEvent {
  return {
    type: "member.changed",
    change: {
      communityId: member.communityId,
      member: { remoteMemberId: member.id, personUri: member.person!.uri },
      role: member.role,
      action,
    },
  };
}

function nameOf(member: RemoteMember): string {
  return member.person ? remoteNameOf(member.person) : member.target;
}

function describeState(member: RemoteMember): string {
  if (member.state === "active") return "a member";
  if (member.state === "requested") return "asking to join";
  return "invited to be a member";
}
