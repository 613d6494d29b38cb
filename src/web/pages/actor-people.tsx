import type { Actor, Membership, MembershipElsewhere, RemoteMember, Role } from "../../domain/types.ts";
import { actorPath, membersPath } from "../../domain/urls.ts";
import type { PageContext } from "./context.ts";
import { RemoteLink } from "./components.tsx";
import { organisationOf, remoteNameOf, remotePageOf } from "../../domain/remote-actor-names.ts";
import { ROLE_NAMES } from "./roles.ts";

/** One person or community in a list, wherever it lives. */
interface Entry {
  name: string;
  /** A page here (a path) or elsewhere (checked before it becomes a link). */
  href: string;
  local: boolean;
  role: Role | null;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * A community's members, grouped by the organisation each works for: people
 * here under this instance's name, people elsewhere under theirs, so that a
 * reader sees which bodies take part.
 */
export function CommunityMembers(props: {
  ctx: PageContext;
  community: Actor;
  memberships: Membership[];
  remoteMembers: RemoteMember[];
  mayManage: boolean;
}) {
  const { ctx, community } = props;
  const groups = new Map<string, Entry[]>();
  const add = (organisation: string, entry: Entry) => groups.set(organisation, [...(groups.get(organisation) ?? []), entry]);
  for (const m of props.memberships) {
    add(ctx.instanceName, { name: m.person.displayName, href: actorPath(m.person.handle), local: true, role: m.role });
  }
  for (const m of props.remoteMembers) {
    if (m.person) add(organisationOf(m.person), { name: remoteNameOf(m.person), href: remotePageOf(m.person), local: false, role: m.role });
  }
  const count = props.memberships.length + props.remoteMembers.length;
  return (
    <section aria-labelledby="people">
      <h2 id="people">Members</h2>
      {count === 0 ? (
        <p class="secondary">No members yet.</p>
      ) : (
        <>
          <p class="secondary">
            {plural(count, "member", "members")} from {plural(groups.size, "organisation", "organisations")}
          </p>
          {[...groups].map(([organisation, entries]) => (
            <>
              <h3>{organisation}</h3>
              <EntryList entries={entries} />
            </>
          ))}
        </>
      )}
      {props.mayManage ? (
        <p>
          <a class="button button-secondary" href={membersPath(community.handle)}>
            Manage members
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** An entry's name, linked to its page here or elsewhere. */
function EntryName({ entry }: { entry: Entry }) {
  return entry.local ? <a href={entry.href}>{entry.name}</a> : <RemoteLink href={entry.href}>{entry.name}</RemoteLink>;
}

/** The entry's role, on a line of its own, when it has one. */
function RoleLine({ entry }: { entry: Entry }) {
  return entry.role ? (
    <>
      <br />
      <span class="secondary">{ROLE_NAMES[entry.role]}</span>
    </>
  ) : null;
}

function EntryList({ entries }: { entries: Entry[] }) {
  return (
    <ul class="link-list">
      {entries.map((e) => (
        <li>
          <EntryName entry={e} />
          <RoleLine entry={e} />
        </li>
      ))}
    </ul>
  );
}

/** The communities a person belongs to, here and on other servers, each with the organisation it belongs to. */
export function PersonCommunities(props: { ctx: PageContext; memberships: Membership[]; elsewhere: MembershipElsewhere[] }) {
  const { ctx } = props;
  const entries: (Entry & { organisation: string })[] = [
    ...props.memberships.map((m) => ({
      name: m.community.displayName,
      href: actorPath(m.community.handle),
      local: true,
      role: m.role,
      organisation: ctx.instanceName,
    })),
    ...props.elsewhere.flatMap((m) =>
      m.community
        ? [
            {
              name: remoteNameOf(m.community),
              href: remotePageOf(m.community),
              local: false,
              role: m.role,
              organisation: organisationOf(m.community),
            },
          ]
        : [],
    ),
  ];
  return (
    <section aria-labelledby="people">
      <h2 id="people">Communities</h2>
      {entries.length === 0 ? (
        <p class="secondary">Not a member of any community yet.</p>
      ) : (
        <ul class="link-list">
          {entries.map((e) => (
            <li>
              Member of <EntryName entry={e} />, at {e.organisation}
              <RoleLine entry={e} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
