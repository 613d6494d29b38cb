import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isElsewhere } from "../../../domain/elsewhere.ts";
import { notFound } from "../../../domain/errors.ts";
import { normaliseHandle } from "../../../domain/handle.ts";
import type { Actor, Membership, RemoteMember } from "../../../domain/types.ts";
import { actorPath, membersPath } from "../../../domain/urls.ts";
import type { WebDeps } from "../../deps.ts";
import type { WebEnv } from "../../env.ts";
import { MembersPage, roleControlId, type MembersPageProps } from "../../pages/members-page.tsx";
import { remoteControlId } from "../../pages/remote-members.tsx";
import { RemoveMemberPage } from "../../pages/remove-member-page.tsx";
import { aRole } from "../../pages/roles.ts";
import type { Render } from "../../render.ts";
import { formProblem, formText } from "../forms.ts";
import { handleOf } from "./handle.ts";

/** The signed-in person (signInFirst has run). */
const viewer = (c: Context<WebEnv>): Actor => c.get("viewer")!;

/** "Added", "changed" or "removed", with the handle of the person concerned, in the members page's address after a change. */
type Done = "added" | "changed" | "removed";

/** What was done to someone elsewhere, with the membership's id, in the members page's address after it (apart from Done's, which take handles). */
type RemoteDone = "invited" | "accepted" | "rejected" | "elsewhere-changed" | "elsewhere-removed";

/**
 * What the last change to someone elsewhere did, said from what is stored now:
 * an id still listed says their state; one gone says only that it went.
 */
function remoteNotice(c: Context<WebEnv>, community: Actor, remote: RemoteMember[]): string | undefined {
  const [invited, accepted, changed, rejected, removed] = ["invited", "accepted", "elsewhere-changed", "rejected", "elsewhere-removed"].map(
    (k) => c.req.query(k),
  );
  const member = remote.find((m) => m.id === (invited ?? accepted ?? changed));
  const name = member?.person?.name ?? member?.person?.handle ?? member?.target;
  if (member && invited && member.state !== "active") {
    return `${name} is being invited to ${community.displayName} as ${aRole(member.role)}: the invitation is sent in the background.`;
  }
  if (member?.state === "active") return `${name} is now ${aRole(member.role)} of ${community.displayName}.`;
  const gone = rejected ?? removed;
  if (gone && !remote.some((m) => m.id === gone)) {
    return rejected
      ? `The request to join ${community.displayName} has been declined.`
      : `Removed: they are no longer listed in ${community.displayName}.`;
  }
  return undefined;
}

/**
 * A community's members page and its forms (`/@{community}/members`): its
 * administrators (and the instance's) add people, change their roles,
 * remove them. Services check every permission.
 */
export function memberHandlers({ services }: WebDeps, render: Render) {
  /** What the last change did, said from what is stored now (so a made-up address says nothing). */
  async function noticeFor(
    c: Context<WebEnv>,
    community: Actor,
    memberships: Membership[],
    remote: RemoteMember[],
  ): Promise<string | undefined> {
    const elsewhere = remoteNotice(c, community, remote);
    if (elsewhere) return elsewhere;
    const [added, changed, removed] = [c.req.query("added"), c.req.query("changed"), c.req.query("removed")];
    const member = memberships.find((m) => m.person.handle === (added ?? changed));
    if (member && added) return `${member.person.displayName} has been added to ${community.displayName} as ${aRole(member.role)}.`;
    if (member) return `${member.person.displayName} is now ${aRole(member.role)} of ${community.displayName}.`;
    const gone = removed ? await services.actors.find(removed) : null;
    if (gone?.kind === "person" && !memberships.some((m) => m.person.id === gone.id)) {
      return `${gone.displayName} has been removed from ${community.displayName}.`;
    }
    return undefined;
  }

  async function membersPage(
    c: Context<WebEnv>,
    community: Actor,
    extra: Omit<MembersPageProps, "ctx" | "community" | "memberships" | "remoteMembers">,
    status: ContentfulStatusCode = 200,
  ) {
    const [memberships, remoteMembers] = await Promise.all([
      services.actors.members(community),
      services.communityMembers.members(community),
    ]);
    const notice = extra.notice ?? (await noticeFor(c, community, memberships, remoteMembers));
    return render(
      c,
      (ctx) => (
        <MembersPage ctx={ctx} community={community} memberships={memberships} remoteMembers={remoteMembers} {...extra} notice={notice} />
      ),
      status,
    );
  }

  /** Back to the members page to say what was done, or to the community's page if the viewer has just given up managing it. */
  async function afterChange(c: Context<WebEnv>, community: Actor, person: Actor, done: Done) {
    if (!(await services.actors.mayManageMembers(viewer(c), community))) return c.redirect(actorPath(community.handle), 303);
    return c.redirect(`${membersPath(community.handle)}?${done}=${person.handle}`, 303);
  }

  /** A refused change to one member (their role, or removing them): the members page again, the reason next to their row. */
  async function refusedRowChange(c: Context<WebEnv>, error: unknown) {
    const { status, errors } = formProblem(error);
    const community = await services.actors.managedCommunity(viewer(c), handleOf(c));
    const rowErrors = { [roleControlId(normaliseHandle(c.req.param("person") ?? ""))]: errors.role ?? Object.values(errors)[0]! };
    return membersPage(c, community, { rowErrors }, status);
  }

  /** GET `/members` */
  async function page(c: Context<WebEnv>) {
    const community = await services.actors.managedCommunity(viewer(c), handleOf(c));
    return membersPage(c, community, {});
  }

  /** POST `/members`: adds a person here with a role, or invites someone elsewhere to have it. */
  async function add(c: Context<WebEnv>) {
    const person = await formText(c, "person");
    const role = await formText(c, "role");
    try {
      if (isElsewhere(person)) {
        const invited = await services.communityMembers.invite(viewer(c), handleOf(c), person, role);
        return c.redirect(`${membersPath(handleOf(c))}?invited=${invited.id}`, 303);
      }
      const done = await services.actors.manageMembership(viewer(c), handleOf(c), person, role, "new");
      return afterChange(c, done.community, done.person, "added");
    } catch (error) {
      const { status, errors } = formProblem(error);
      const community = await services.actors.managedCommunity(viewer(c), handleOf(c));
      // The role's radio buttons have ids of their own ("new-role"), apart from the members' role controls.
      const { role: roleError, ...others } = errors;
      const pageErrors = roleError ? { ...others, "new-role": roleError } : others;
      return membersPage(c, community, { add: { person, role, errors: pageErrors } }, status);
    }
  }

  /** POST `/members/{person}/role` */
  async function changeRole(c: Context<WebEnv>) {
    const role = await formText(c, "role");
    try {
      const done = await services.actors.manageMembership(viewer(c), handleOf(c), c.req.param("person")!, role, "member");
      return afterChange(c, done.community, done.person, "changed");
    } catch (error) {
      return refusedRowChange(c, error);
    }
  }

  /** GET `/members/{person}/remove`: asks to confirm. */
  async function confirmRemoval(c: Context<WebEnv>) {
    const community = await services.actors.managedCommunity(viewer(c), handleOf(c));
    const person = await services.actors.require(c.req.param("person")!, "person");
    const role = await services.actors.roleIn(community, person);
    if (!role) throw notFound(`${person.displayName} is not a member of ${community.displayName}.`);
    return render(c, (ctx) => <RemoveMemberPage ctx={ctx} community={community} person={person} role={role} />);
  }

  /** POST `/members/{person}/remove` */
  async function remove(c: Context<WebEnv>) {
    try {
      const done = await services.actors.manageMembership(viewer(c), handleOf(c), c.req.param("person")!, null);
      return afterChange(c, done.community, done.person, "removed");
    } catch (error) {
      return refusedRowChange(c, error);
    }
  }

  /** Back to the members page after a change to someone elsewhere, or to the community's page if the viewer no longer manages it. */
  async function afterRemoteChange(c: Context<WebEnv>, done: RemoteDone, member: RemoteMember) {
    const community = await services.actors.require(handleOf(c), "community");
    if (!(await services.actors.mayManageMembers(viewer(c), community))) return c.redirect(actorPath(community.handle), 303);
    return c.redirect(`${membersPath(community.handle)}?${done}=${member.id}`, 303);
  }

  /** A refused change to someone elsewhere: the members page again, the reason next to their row. */
  async function refusedRemoteChange(c: Context<WebEnv>, error: unknown) {
    const { status, errors } = formProblem(error);
    const community = await services.actors.managedCommunity(viewer(c), handleOf(c));
    const remoteErrors = { [remoteControlId(c.req.param("id") ?? "")]: errors.role ?? Object.values(errors)[0]! };
    return membersPage(c, community, { remoteErrors }, status);
  }

  /** The four changes to someone elsewhere, each a POST under `/members/elsewhere/{id}`. */
  const remoteChange =
    (done: RemoteDone, change: (c: Context<WebEnv>, id: string) => Promise<RemoteMember>) => async (c: Context<WebEnv>) => {
      try {
        return afterRemoteChange(c, done, await change(c, c.req.param("id")!));
      } catch (error) {
        return refusedRemoteChange(c, error);
      }
    };
  const acting = (c: Context<WebEnv>) => [viewer(c), handleOf(c)] as const;
  const remoteRole = remoteChange("elsewhere-changed", async (c, id) =>
    services.communityMembers.manage(...acting(c), id, await formText(c, "role")),
  );
  const remoteRemove = remoteChange("elsewhere-removed", (c, id) => services.communityMembers.manage(...acting(c), id, null));
  const remoteAccept = remoteChange("accepted", async (c, id) =>
    services.communityMembers.answerRequest(...acting(c), id, true, await formText(c, "role")),
  );
  const remoteReject = remoteChange("rejected", (c, id) => services.communityMembers.answerRequest(...acting(c), id, false));

  return { page, add, changeRole, confirmRemoval, remove, remoteRole, remoteRemove, remoteAccept, remoteReject };
}
