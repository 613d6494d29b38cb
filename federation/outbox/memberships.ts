import { createHash, randomUUID } from "node:crypto";
import {
  Accept,
  Announce,
  Add,
  Create,
  Invite,
  isActor,
  Join,
  Leave,
  Mention,
  Note,
  PUBLIC_COLLECTION,
  Reject,
  Remove,
  Undo,
  Update,
} from "@fedify/vocab";
import type { Actor as ApActor } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { getLogger } from "@logtape/logtape";
import type { DomainEvent, MemberChange } from "../../src/domain/events.ts";
import { escapeHtml } from "../../src/domain/sanitize.ts";
import type { Actor, RemoteMember } from "../../src/domain/types.ts";
import type { FedCtx } from "../context.ts";
import { sendTo } from "../delivery-policy.ts";
import { softwareName } from "../http/nodeinfo.ts";
import { fromApActorWithIcon } from "../vocab/actor.ts";
import { activityIds } from "../vocab/activity-ids.ts";
import { postUri } from "../vocab/post.ts";
import { membersCollectionUri, toRelationship } from "../vocab/membership.ts";
import { toRecipient } from "../vocab/recipient.ts";
import { activityUri, rememberActivity } from "../vocab/urls.ts";
import { lookupAccount, sendToAudience } from "./recipients.ts";

const logger = getLogger(["connexo", "outbox", "memberships"]);

type EventOf<T extends DomainEvent["type"]> = Extract<DomainEvent, { type: T }>;

/** A short, stable name for an activity about something named by a URI, so a replayed event sends the same id. */
const digest = (...parts: string[]) => createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 32);

/**
 * A community invites someone elsewhere. They are looked up first; a server
 * that speaks Connexo gets an `Invite` (object: the Group, result: the
 * membership offered), any other (Mastodon and the rest) a direct message,
 * which they accept by favouriting or answering it within the time allowed.
 */
export async function sendInvitation(ctx: FedCtx, event: EventOf<"member.invited">): Promise<void> {
  const { communityMembers, actors } = ctx.data.services;
  const member = await communityMembers.find(event.memberId);
  if (!member || member.state !== "resolving")
    return logger.debug("Invitation {id} was sent already, or withdrawn", { id: event.memberId });
  const community = await actors.findById(member.communityId);
  if (!community) return;
  const found = await lookupAccount(ctx, member.target).catch((error) => {
    logger.warn("Could not look up {target}, invited to {community}: {error}", {
      target: member.target,
      community: community.handle,
      error,
    });
    return null;
  });
  const person = isActor(found) ? await fromApActorWithIcon(found) : null;
  if (!person || !isActor(found)) {
    await communityMembers.invitationResolved(member.id, null, null);
    return;
  }
  const channel = (await speaksConnexo(ctx, found)) ? "invite" : "message";
  const invitationUri = activityUri(ctx, channel === "invite" ? `invite-${member.id}` : `invitation-${member.id}`);
  const invited = await communityMembers.invitationResolved(member.id, person, { channel, activityUri: invitationUri.href });
  if (!invited) return;
  const recipient = toRecipient(person);
  const groupUri = ctx.getActorUri(community.handle);
  if (channel === "invite") {
    const invite = new Invite({
      id: invitationUri,
      actor: groupUri,
      object: groupUri,
      target: recipient.id,
      result: toRelationship(ctx, community.handle, { remoteMemberId: member.id, personUri: person.uri }, member.role),
      to: recipient.id,
    });
    await rememberActivity(ctx, invite);
    await sendTo(ctx, community.handle, recipient, invite);
    return;
  }
  const note = await invitationMessage(ctx, community, invited, invitationUri);
  const create = new Create({ id: activityUri(ctx, `invitation-${member.id}-create`), actor: groupUri, object: note, to: recipient.id });
  await rememberActivity(ctx, note);
  await rememberActivity(ctx, create);
  await sendTo(ctx, community.handle, recipient, create);
}

/** Whether the actor's server is a Connexo instance, by its NodeInfo; anything else is written to in plain messages. */
async function speaksConnexo(ctx: FedCtx, actor: ApActor): Promise<boolean> {
  if (!actor.id) return false;
  return (await softwareName(actor.id.origin, ctx.data.fetchPolicy)) === "connexo";
}

/** The direct message inviting someone on a server that knows no `Invite`: who invited them, to what, as what, and how to say yes. */
async function invitationMessage(ctx: FedCtx, community: Actor, member: RemoteMember, id: URL): Promise<Note> {
  const inviter = member.invitedBy ? await ctx.data.services.actors.findById(member.invitedBy) : null;
  const person = member.person!;
  const until = member.expiresAt!.toISOString().slice(0, 10);
  const groupUrl = ctx.getActorUri(community.handle).href;
  const mention = person.handle ?? person.uri;
  const content =
    `<p><span class="h-card"><a href="${escapeHtml(person.url ?? person.uri)}" class="u-url mention">${escapeHtml(mention)}</a></span> ` +
    `${escapeHtml(inviter?.displayName ?? "An administrator")} invited you to join ` +
    `<a href="${escapeHtml(groupUrl)}">${escapeHtml(community.displayName)}</a> as ${article(member.role)} ${member.role}.</p>` +
    `<p>To accept, favourite this message or reply to it by ${until}. If you do neither, nothing happens.</p>`;
  return new Note({
    id,
    attribution: ctx.getActorUri(community.handle),
    to: new URL(person.uri),
    tags: [new Mention({ href: new URL(person.uri), name: mention })],
    content,
    published: Temporal.Instant.fromEpochMilliseconds(member.createdAt.getTime()),
  });
}

const article = (word: string) => (/^[aeiou]/.test(word) ? "an" : "a");

/** The community answers a request to join: `Accept` (with the membership) or `Reject` of the person's `Join`. */
export async function sendJoinAnswer(ctx: FedCtx, event: EventOf<"member.answered">): Promise<void> {
  const community = await ctx.data.services.actors.findById(event.communityId);
  const member = await ctx.data.services.communityMembers.find(event.memberId);
  const person = member?.person ?? (await ctx.data.services.remoteActors.known(event.personUri));
  if (!community || !person)
    return logger.info("Answer to join {join} not sent: the community or the person is gone", { join: event.joinUri });
  const groupUri = ctx.getActorUri(community.handle);
  const join = new Join({ id: new URL(event.joinUri), actor: new URL(event.personUri), object: groupUri });
  const props = { actor: groupUri, object: join, to: new URL(event.personUri) };
  const answer = event.accepted
    ? new Accept({
        ...props,
        id: activityUri(ctx, `accept-${digest(event.joinUri)}`),
        result: member
          ? toRelationship(ctx, community.handle, { remoteMemberId: member.id, personUri: event.personUri }, member.role)
          : null,
      })
    : new Reject({ ...props, id: activityUri(ctx, `reject-${digest(event.joinUri)}`) });
  await rememberActivity(ctx, answer);
  await sendTo(ctx, community.handle, toRecipient(person), answer);
}

/**
 * Someone joined, changed role or left: the community sends `Add`, `Update`
 * or `Remove` of the membership to the member (when elsewhere) and to its
 * followers, so every server that follows it knows who is in it.
 */
export async function sendMemberChange(ctx: FedCtx, change: MemberChange): Promise<void> {
  const { actors, remoteActors } = ctx.data.services;
  const community = await actors.findById(change.communityId);
  if (!community) return;
  const local = "personId" in change.member ? await actors.findById(change.member.personId) : null;
  const subject = "personId" in change.member ? (local ? { handle: local.handle } : null) : change.member;
  if (!subject) return;
  const relationship = toRelationship(ctx, community.handle, subject, change.role);
  const remote = "personUri" in change.member ? await remoteActors.known(change.member.personUri) : null;
  const props = {
    id: activityUri(ctx, `member-${change.action}-${randomUUID()}`),
    actor: ctx.getActorUri(community.handle),
    object: relationship,
    target: membersCollectionUri(ctx, community.handle),
    tos: remote ? [new URL(remote.uri)] : [],
    ccs: [ctx.getFollowersUri(community.handle)],
  };
  const activity = change.action === "added" ? new Add(props) : change.action === "role" ? new Update(props) : new Remove(props);
  await rememberActivity(ctx, activity);
  await sendToAudience(ctx, community, activity, { followersOf: [community], also: remote ? [toRecipient(remote)] : [] });
}

/** A person here asks to join a community elsewhere: it is looked up, then sent a `Join`. */
export async function sendJoin(ctx: FedCtx, event: EventOf<"elsewhere.requested">): Promise<void> {
  const { membershipsElsewhere } = ctx.data.services;
  const membership = await membershipsElsewhere.find(event.membershipId);
  if (!membership || membership.state !== "resolving") return;
  const found = await lookupAccount(ctx, membership.target).catch((error) => {
    logger.warn("Could not look up the community {target}: {error}", { target: membership.target, error });
    return null;
  });
  const community = isActor(found) ? await fromApActorWithIcon(found) : null;
  const joinUri = activityUri(ctx, `join-${membership.id}`);
  const person = await membershipsElsewhere.joinResolved(membership.id, community, joinUri.href);
  if (!person || !community) return;
  const join = new Join({ id: joinUri, actor: ctx.getActorUri(person.handle), object: new URL(community.uri), to: new URL(community.uri) });
  await rememberActivity(ctx, join);
  await sendTo(ctx, person.handle, toRecipient(community), join);
}

/** A person here answers a community's `Invite`: `Accept` or `Reject` of it. */
export async function sendInvitationAnswer(ctx: FedCtx, event: EventOf<"elsewhere.answered">): Promise<void> {
  const person = await ctx.data.services.actors.findById(event.personId);
  const community = await ctx.data.services.remoteActors.known(event.communityUri);
  if (!person || !community) return;
  const props = {
    id: activityUri(ctx, `${event.accepted ? "accept" : "reject"}-${digest(event.inviteUri)}`),
    actor: ctx.getActorUri(person.handle),
    object: new URL(event.inviteUri),
    to: new URL(event.communityUri),
  };
  const answer = event.accepted ? new Accept(props) : new Reject(props);
  await rememberActivity(ctx, answer);
  await sendTo(ctx, person.handle, toRecipient(community), answer);
}

/** A person here leaves a community elsewhere (or withdraws their request): `Leave`. */
export async function sendLeave(ctx: FedCtx, event: EventOf<"elsewhere.left">): Promise<void> {
  const person = await ctx.data.services.actors.findById(event.personId);
  const community = await ctx.data.services.remoteActors.known(event.communityUri);
  if (!person || !community) return;
  const leave = new Leave({
    id: activityUri(ctx, `leave-${event.leaveId}`),
    actor: ctx.getActorUri(person.handle),
    object: new URL(event.communityUri),
    to: new URL(event.communityUri),
  });
  await rememberActivity(ctx, leave);
  await sendTo(ctx, person.handle, toRecipient(community), leave);
}

/**
 * A community shares what a member elsewhere published in it: an `Announce`
 * of the post to its followers (a boost, as Mastodon shows it), and later of
 * the author's `Update` or `Delete`, as FEP-1b12 groups do.
 */
export async function sendShared(ctx: FedCtx, event: EventOf<"community.shared">): Promise<void> {
  const community = await ctx.data.services.actors.findById(event.communityId);
  if (!community) return;
  const announce = new Announce({
    id: sharedId(ctx, event.postUri, event.action, event.activityUri),
    actor: ctx.getActorUri(community.handle),
    object: new URL(event.action === "create" ? event.postUri : event.activityUri),
    to: PUBLIC_COLLECTION,
    ccs: [ctx.getFollowersUri(community.handle)],
  });
  await rememberActivity(ctx, announce);
  await sendToAudience(ctx, community, announce, { followersOf: [community] });
}

/** The id of a community's Announce of a member's post (named by the post alone, so it can be taken back) or of their change to it. */
function sharedId(ctx: FedCtx, post: string, action: "create" | "update" | "delete", change: string): URL {
  return action === "create" ? activityUri(ctx, `share-${digest(post)}`) : activityUri(ctx, `share-${digest(post, action, change)}`);
}

/**
 * A community's moderators took a post out of it: the community takes back
 * its boost (`Undo` of the `Announce`, which Mastodon understands too), to its
 * followers.
 */
export async function sendWithdrawn(ctx: FedCtx, event: EventOf<"community.withdrawn">): Promise<void> {
  const community = await ctx.data.services.actors.findById(event.communityId);
  if (!community) return;
  const groupUri = ctx.getActorUri(community.handle);
  const shared =
    "uri" in event.post
      ? { id: sharedId(ctx, event.post.uri, "create", ""), object: new URL(event.post.uri) }
      : { id: activityIds(ctx, event.post.localPostId).announce, object: await localPostUri(ctx, event.post.localPostId) };
  if (!shared.object) return;
  const undo = new Undo({
    id: activityUri(ctx, `unshare-${digest(shared.id.href)}`),
    actor: groupUri,
    object: new Announce({ id: shared.id, actor: groupUri, object: shared.object }),
    to: PUBLIC_COLLECTION,
    ccs: [ctx.getFollowersUri(community.handle)],
  });
  await rememberActivity(ctx, undo);
  await sendToAudience(ctx, community, undo, { followersOf: [community] });
}

async function localPostUri(ctx: FedCtx, postId: string): Promise<URL | null> {
  const post = await ctx.data.services.deliveries.postOfEvent(postId);
  return post ? postUri(ctx, post) : null;
}

/** A moderator here asks a community elsewhere to take a post out of it: `Remove` of the post, with the community as target. */
export async function sendWithdrawRequest(ctx: FedCtx, event: EventOf<"elsewhere.withdraw">): Promise<void> {
  const person = await ctx.data.services.actors.findById(event.personId);
  const community = await ctx.data.services.remoteActors.known(event.communityUri);
  if (!person || !community) return;
  const remove = new Remove({
    id: activityUri(ctx, `withdraw-${event.requestId}`),
    actor: ctx.getActorUri(person.handle),
    object: new URL(event.postUri),
    target: new URL(event.communityUri),
    to: new URL(event.communityUri),
  });
  await rememberActivity(ctx, remove);
  await sendTo(ctx, person.handle, toRecipient(community), remove);
}
