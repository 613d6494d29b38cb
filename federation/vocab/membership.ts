import { Relationship } from "@fedify/vocab";
import type { Role } from "../../src/domain/types.ts";
import { memberPath, membersPath, moderatorsPath, remoteMemberPath } from "../../src/domain/urls.ts";
import { ROLES } from "../../src/services/permissions.ts";
import type { FedCtx } from "../context.ts";
import { CONNEXO_NAMESPACE } from "./connexo-context.ts";
import { localUrl } from "./urls.ts";

/**
 * A membership travels as an ActivityStreams `Relationship`: its subject is
 * the person, its object the community's Group, and its `relationship` the
 * role, as an IRI in Connexo's namespace (`…/ns#facilitator`). Every part is
 * ActivityStreams' own, so the role survives Fedify's re-compaction of what it
 * sends, and a server that knows nothing of Connexo still reads who is in
 * which group.
 */
export function roleIri(role: Role): URL {
  return new URL(`${CONNEXO_NAMESPACE}${role}`);
}

/** The role a `relationship` IRI names, or null for anything else. */
export function roleFromIri(iri: URL | null | undefined): Role | null {
  if (!iri?.href.startsWith(CONNEXO_NAMESPACE)) return null;
  const role = iri.href.slice(CONNEXO_NAMESPACE.length);
  return (ROLES as string[]).includes(role) ? (role as Role) : null;
}

/** Who a membership is of: a person here by handle, or someone elsewhere by their membership's id and actor URI. */
export type MembershipSubject = { handle: string } | { remoteMemberId: string; personUri: string };

/** A membership's id: the member's row on the community's members page. */
export function membershipUri(ctx: FedCtx, communityHandle: string, subject: MembershipSubject): URL {
  return "handle" in subject
    ? localUrl(ctx, memberPath(communityHandle, subject.handle))
    : localUrl(ctx, remoteMemberPath(communityHandle, subject.remoteMemberId));
}

export function toRelationship(ctx: FedCtx, communityHandle: string, subject: MembershipSubject, role: Role): Relationship {
  return new Relationship({
    id: membershipUri(ctx, communityHandle, subject),
    subject: "handle" in subject ? ctx.getActorUri(subject.handle) : new URL(subject.personUri),
    object: ctx.getActorUri(communityHandle),
    relationship: roleIri(role),
  });
}

/** The community's members collection (people with their roles) and its moderators collection (admins and facilitators). */
export function membersCollectionUri(ctx: FedCtx, communityHandle: string): URL {
  return localUrl(ctx, membersPath(communityHandle));
}

export function moderatorsCollectionUri(ctx: FedCtx, communityHandle: string): URL {
  return localUrl(ctx, moderatorsPath(communityHandle));
}

/** What a received Relationship says: whose membership, of which group, with what role. */
export interface MembershipStatement {
  id: URL | null;
  personUri: URL | null;
  communityUri: URL | null;
  role: Role | null;
}

export function readRelationship(relationship: Relationship): MembershipStatement {
  return {
    id: relationship.id,
    personUri: relationship.subjectId,
    communityUri: relationship.objectId,
    role: roleFromIri(relationship.relationshipId),
  };
}
