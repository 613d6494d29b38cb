import type { MembershipElsewhere, RemoteActor } from "./types.ts";

/**
 * The organisation a remote actor belongs to: what its profile says, or
 * failing that its server's host, which for public bodies usually names it.
 */
export const organisationOf = (actor: Pick<RemoteActor, "organisation" | "uri">): string => actor.organisation ?? new URL(actor.uri).host;

/** A remote actor as a page names it: its name, else its handle, else its id. */
export const remoteNameOf = (actor: Pick<RemoteActor, "name" | "handle" | "uri">): string => actor.name ?? actor.handle ?? actor.uri;

/** Where a remote actor's page is: its profile page if it gave one, else its id. */
export const remotePageOf = (actor: Pick<RemoteActor, "url" | "uri">): string => actor.url ?? actor.uri;

/** A membership's community as the person typed or received it, before the lookup has found it. */
export const membershipName = (membership: Pick<MembershipElsewhere, "community" | "target">): string =>
  membership.community ? remoteNameOf(membership.community) : membership.target;
