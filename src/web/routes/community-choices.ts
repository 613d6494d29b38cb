import type { Actor } from "../../domain/types.ts";
import type { Services } from "../../services/index.ts";
import { organisationOf, remoteNameOf } from "../../domain/remote-actor-names.ts";
import type { CommunityChoice } from "../pages/weeknote-form.tsx";

/**
 * The communities a person may publish a weeknote in, for the form's list:
 * those here by handle, then those on other servers by URI, which is what
 * the weeknote service takes for each. Two queries.
 */
export async function communityChoices(services: Services, person: Actor): Promise<CommunityChoice[]> {
  const [here, elsewhere] = await Promise.all([
    services.actors.publishableCommunities(person),
    services.membershipsElsewhere.publishableCommunities(person),
  ]);
  return [
    ...here.map((c) => ({ value: c.handle, label: `${c.displayName} (@${c.handle})`, elsewhere: false })),
    ...elsewhere.flatMap(({ community }) =>
      community ? [{ value: community.uri, label: `${remoteNameOf(community)} (${organisationOf(community)})`, elsewhere: true }] : [],
    ),
  ];
}
