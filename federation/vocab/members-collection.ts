import type { Actor, Role } from "../../src/domain/types.ts";
import type { RosterEntry } from "../../src/services/community-members.ts";
import type { FedCtx } from "../context.ts";
import { connexoTerms } from "./connexo-context.ts";
import { membersCollectionUri, membershipUri, moderatorsCollectionUri, roleIri, type MembershipSubject } from "./membership.ts";

/** Members listed on one page of a community's members collection. */
export const MEMBERS_PAGE_SIZE = 50;

const AS_CONTEXT = "https://www.w3.org/ns/activitystreams";

/** Every document here carries Connexo's terms inline, so no server needs to fetch a context to read them. */
const context = [AS_CONTEXT, connexoTerms];

/** One membership as a `Relationship`, with the role both as an IRI (for any server) and as Connexo's `role` term, and the organisation. */
function relationshipJson(ctx: FedCtx, community: Actor, subject: MembershipSubject, role: Role, organisation: string) {
  return {
    id: membershipUri(ctx, community.handle, subject).href,
    type: "Relationship",
    subject: "handle" in subject ? ctx.getActorUri(subject.handle).href : subject.personUri,
    object: ctx.getActorUri(community.handle).href,
    relationship: roleIri(role).href,
    role,
    organisation,
  };
}

/** A membership's own document, served at its id. */
export function membershipDocument(ctx: FedCtx, community: Actor, entry: RosterEntry) {
  return { "@context": context, ...relationshipJson(ctx, community, entry.member, entry.role, entry.organisation) };
}

/**
 * A community's members collection: everyone in it, here and elsewhere, with
 * their roles and organisations, `totalItems` on the collection and pages of
 * MEMBERS_PAGE_SIZE (`?page=1`, …).
 */
export function membersCollection(ctx: FedCtx, community: Actor, roster: RosterEntry[], page: number | null) {
  const id = membersCollectionUri(ctx, community.handle);
  const pageUrl = (n: number) => `${id.href}?page=${n}`;
  const pages = Math.max(1, Math.ceil(roster.length / MEMBERS_PAGE_SIZE));
  if (page === null) {
    return {
      "@context": context,
      id: id.href,
      type: "OrderedCollection",
      attributedTo: ctx.getActorUri(community.handle).href,
      totalItems: roster.length,
      first: pageUrl(1),
      last: pageUrl(pages),
    };
  }
  const items = roster.slice((page - 1) * MEMBERS_PAGE_SIZE, page * MEMBERS_PAGE_SIZE);
  return {
    "@context": context,
    id: pageUrl(page),
    type: "OrderedCollectionPage",
    partOf: id.href,
    totalItems: roster.length,
    orderedItems: items.map((entry) => relationshipJson(ctx, community, entry.member, entry.role, entry.organisation)),
    ...(page > 1 ? { prev: pageUrl(page - 1) } : {}),
    ...(page < pages ? { next: pageUrl(page + 1) } : {}),
  };
}

/**
 * Its moderators (administrators and facilitators, here and elsewhere), as the
 * actor URIs FEP-1b12 software expects in the collection the Group's
 * `attributedTo` names. A short list, so it is not paged.
 */
export function moderatorsCollection(ctx: FedCtx, community: Actor, roster: RosterEntry[]) {
  const moderators = roster
    .filter((entry) => entry.role === "admin" || entry.role === "facilitator")
    .map((entry) => ("handle" in entry.member ? ctx.getActorUri(entry.member.handle).href : entry.member.personUri));
  return {
    "@context": AS_CONTEXT,
    id: moderatorsCollectionUri(ctx, community.handle).href,
    type: "OrderedCollection",
    totalItems: moderators.length,
    orderedItems: moderators,
  };
}
