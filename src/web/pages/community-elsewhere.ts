import type { MembershipElsewhere, RemoteActor } from "../../domain/types.ts";

/**
 * How pages name a community on another server. Its server may leave out its
 * display name or organisation, so each falls back to something it must have.
 */
export const communityName = (community: RemoteActor): string => community.name ?? community.handle ?? community.uri;

/** The organisation it says it belongs to, or else the server it is on. */
export const communityOrganisation = (community: RemoteActor): string => community.organisation ?? new URL(community.uri).host;

/** Its page for people, or else its id (pass it to RemoteLink, which links only web addresses). */
export const communityPage = (community: RemoteActor): string => community.url ?? community.uri;

/** A membership's community as the person typed or received it, before the lookup has found it. */
export const membershipName = (membership: MembershipElsewhere): string =>
  membership.community ? communityName(membership.community) : membership.target;
