import { createHash } from "node:crypto";
import type { InboxContext } from "@fedify/fedify";
import { Join, Reject, Relationship, type Accept, type Add, type Invite, type Leave, type Remove, type Update } from "@fedify/vocab";
import type { ContextData, FedCtx } from "../context.ts";
import { sendTo } from "../delivery-policy.ts";
import { activityUri, rememberActivity } from "../vocab/urls.ts";
import { readRelationship, type MembershipStatement } from "../vocab/membership.ts";
import { activityPath } from "../../src/domain/urls.ts";
import { activityActor, localActorHandle, localPostId, logFields, logger, sameOrigin } from "./common.ts";

/**
 * Memberships across servers, as the activities say them. Fedify has checked
 * each signature and that the key is the actor's; here we check that the actor
 * owns what it speaks of: only a Group invites to, accepts into, changes roles
 * in and removes from itself, only the person invited answers an invitation,
 * and only a person leaves for themselves. Anything else changes nothing.
 */

/** A community elsewhere invites a person here: `Invite` of the Group, to the person, with the membership offered. */
export async function onInvited(ctx: InboxContext<ContextData>, invite: Invite): Promise<void> {
  const groupUri = invite.actorId;
  const handle = localActorHandle(ctx, invite.targetId);
  if (!invite.id || !groupUri || !handle || invite.objectId?.href !== groupUri.href) {
    return logger.info("Ignored {type} {id}: not a community inviting someone here to itself", logFields(invite));
  }
  const community = await activityActor(ctx, invite);
  if (!community || community.type !== "Group") return logger.info("Ignored {type} {id}: its actor is not a group", logFields(invite));
  const invitee = invite.targetId!.href;
  const offered = await offeredMembership(invite, groupUri, (personUri) => personUri.href === invitee);
  await ctx.data.services.membershipsElsewhere.receiveInvite(handle, community, {
    uri: invite.id.href,
    role: offered?.role ?? null,
    membershipUri: offered?.id?.href ?? null,
  });
}

/** The membership an Invite or Accept carries as its result, if it is in this group and of the person expected, as that group says. */
async function offeredMembership(
  activity: Invite | Accept,
  groupUri: URL,
  isOfThePerson: (personUri: URL) => boolean,
): Promise<MembershipStatement | null> {
  const result = await activity.getResult({ crossOrigin: "ignore" }).catch(() => null);
  if (!(result instanceof Relationship)) return null;
  const statement = readRelationship(result);
  const ours = statement.communityUri?.href === groupUri.href && statement.personUri !== null && isOfThePerson(statement.personUri);
  return ours && (!statement.id || sameOrigin(statement.id, groupUri)) ? statement : null;
}

/** Someone elsewhere asks to join a community here. */
export async function onJoined(ctx: InboxContext<ContextData>, join: Join): Promise<void> {
  const handle = localActorHandle(ctx, join.objectId);
  if (!join.id || !handle) return logger.info("Ignored {type} {id}: not a request to join a community here", logFields(join));
  const person = await activityActor(ctx, join);
  if (!person) return;
  const outcome = await ctx.data.services.communityMembers.receiveJoin(handle, person, join.id.href);
  logger.info("{type} {id}: {outcome}", { ...logFields(join), outcome });
  // Blocked from the community: nothing was kept, so the answer goes from here, as a refused Follow's does.
  if (outcome === "refused") await rejectJoin(ctx, handle, join, person.inbox);
}

/** Answers a Join with a Reject from the community, sent to the person's own inbox. */
async function rejectJoin(ctx: InboxContext<ContextData>, handle: string, join: Join, inbox: string): Promise<void> {
  const digest = createHash("sha256").update(join.id!.href).digest("hex").slice(0, 32);
  const answer = new Reject({
    id: activityUri(ctx, `reject-${digest}`),
    actor: ctx.getActorUri(handle),
    object: new Join({ id: join.id, actor: join.actorId, object: ctx.getActorUri(handle) }),
    to: join.actorId,
  });
  await rememberActivity(ctx, answer);
  await sendTo(ctx, handle, { id: join.actorId, inboxId: new URL(inbox) }, answer);
}

/** Someone elsewhere leaves a community here (or withdraws their request). */
export async function onLeft(ctx: InboxContext<ContextData>, leave: Leave): Promise<void> {
  const handle = localActorHandle(ctx, leave.objectId);
  if (!handle || !leave.actorId) return logger.info("Ignored {type} {id}: not leaving a community here", logFields(leave));
  await ctx.data.services.communityMembers.receiveLeave(handle, leave.actorId.href);
}

/**
 * An `Accept` or `Reject` that answers a membership activity of ours: a person
 * elsewhere answering our community's `Invite`, or a community elsewhere
 * answering a person's `Join`. Returns false when it answers something else
 * (a Follow), for the caller to handle.
 */
export async function onMembershipAnswer(ctx: InboxContext<ContextData>, answer: Accept | Reject, accepted: boolean): Promise<boolean> {
  const objectId = answer.objectId;
  const actorId = answer.actorId;
  if (!objectId || !actorId) return false;
  const kind = ourActivityKind(ctx, objectId);
  if (kind === "invite") {
    const outcome = await ctx.data.services.communityMembers.receiveInvitationAnswer(objectId.href, actorId.href, accepted);
    logger.info("{type} {id} of our invitation {invite}: {outcome}", { ...logFields(answer), invite: objectId.href, outcome });
    return true;
  }
  if (kind !== "join") return false;
  const offered = accepted
    ? await offeredMembership(answer as Accept, actorId, (personUri) => localActorHandle(ctx, personUri) !== null)
    : null;
  const changed = await ctx.data.services.membershipsElsewhere.receiveJoinAnswer(objectId.href, actorId.href, {
    accepted,
    role: offered?.role ?? null,
    membershipUri: offered?.id?.href ?? null,
  });
  if (!changed) logger.info("{type} {id} answers no request to join that we know from its actor", logFields(answer));
  return true;
}

/** Which of our membership activities an id names, by its place among the activities we keep. */
function ourActivityKind(ctx: FedCtx, id: URL): "invite" | "join" | null {
  if (id.origin !== new URL(ctx.canonicalOrigin).origin) return null;
  if (id.pathname.startsWith(activityPath("invite-"))) return "invite";
  if (id.pathname.startsWith(activityPath("join-"))) return "join";
  return null;
}

/**
 * A community elsewhere says a person here joined (`Add`), has a new role
 * (`Update`) or was removed (`Remove`). Only the community itself can say so
 * of its own memberships.
 */
export async function onMembershipChanged(
  ctx: InboxContext<ContextData>,
  activity: Add | Update | Remove,
  action: "added" | "role" | "removed",
): Promise<boolean> {
  const object = await activity.getObject({ crossOrigin: "ignore" }).catch(() => null);
  if (!(object instanceof Relationship)) return false;
  const statement = readRelationship(object);
  const groupUri = activity.actorId;
  const handle = localActorHandle(ctx, statement.personUri);
  if (!groupUri || statement.communityUri?.href !== groupUri.href || (statement.id && !sameOrigin(statement.id, groupUri))) {
    logger.info("Ignored {type} {id}: its actor does not own the membership it speaks of", logFields(activity));
    return true;
  }
  // Someone elsewhere joining or leaving: other servers have nothing to keep of it.
  if (!handle) return true;
  await ctx.data.services.membershipsElsewhere.receiveMemberChange(handle, groupUri.href, {
    action,
    role: statement.role,
    membershipUri: statement.id?.href ?? null,
  });
  return true;
}

export const onMemberAdded = (ctx: InboxContext<ContextData>, add: Add) => onMembershipChanged(ctx, add, "added").then(() => {});
/**
 * A `Remove` is a community elsewhere ending a membership, or a moderator
 * elsewhere asking a community here to take a post out of it (target: the
 * community). Only the community's own server knows who moderates it, so the
 * request is checked there, by the service.
 */
export async function onMemberRemoved(ctx: InboxContext<ContextData>, remove: Remove): Promise<void> {
  const community = localActorHandle(ctx, remove.targetId);
  if (community && remove.objectId && remove.actorId) {
    const postId = localPostId(ctx, remove.objectId);
    const post = postId ? { localPostId: postId } : { uri: remove.objectId.href };
    const done = await ctx.data.services.communityMembers.receiveWithdrawal(community, post, remove.actorId.href);
    logger.info("{type} {id} of a post from @{community}: {outcome}", {
      ...logFields(remove),
      community,
      outcome: done ? "done" : "refused",
    });
    return;
  }
  await onMembershipChanged(ctx, remove, "removed");
}
