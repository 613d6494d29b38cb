import type { Actor, RemoteMember, Role } from "../../domain/types.ts";
import { remoteMemberPath } from "../../domain/urls.ts";
import { ROLES } from "../../services/permissions.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, DateText, describedBy, ErrorSummary, RemoteLink, sentence, type FieldErrors, ScrollableTable } from "./components.tsx";
import { organisationOf, remoteNameOf, remotePageOf } from "../../domain/remote-actor-names.ts";
import { ROLE_NAMES } from "./roles.ts";

/**
 * The id of a member elsewhere's row control: their role (or the role to accept
 * them with), else the row's first button. Errors about the row point at it.
 */
export const remoteControlId = (memberId: string) => `remote-${memberId}`;

/** A member elsewhere as the page names them: by their profile once looked up, else as they were typed. */
const nameOf = (member: RemoteMember) => (member.person ? remoteNameOf(member.person) : member.target);

/** Everyone elsewhere in a community, in every state, for its managers: invitations, requests, members. */
export function RemoteMembers({
  ctx,
  community,
  members,
  errors,
}: {
  ctx: PageContext;
  community: Actor;
  members: RemoteMember[];
  errors: FieldErrors;
}) {
  const labels = Object.fromEntries(members.map((m) => [remoteControlId(m.id), nameOf(m)]));
  return (
    <section aria-labelledby="elsewhere-title">
      <h2 id="elsewhere-title">People elsewhere</h2>
      <ErrorSummary errors={errors} labels={labels} />
      {members.length === 0 ? (
        <p class="secondary">No one from another server yet. Invite someone below with their handle, such as @bob@example.org.</p>
      ) : (
        <ScrollableTable label="Members elsewhere">
          <table aria-labelledby="elsewhere-title">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Organisation</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <RemoteMemberRow ctx={ctx} community={community} member={m} error={errors[remoteControlId(m.id)]} />
              ))}
            </tbody>
          </table>
        </ScrollableTable>
      )}
    </section>
  );
}

function RemoteMemberRow({ ctx, community, member, error }: { ctx: PageContext; community: Actor; member: RemoteMember; error?: string }) {
  const { person } = member;
  const name = nameOf(member);
  const base = remoteMemberPath(community.handle, member.id);
  const id = remoteControlId(member.id);
  return (
    <tr>
      <th scope="row">
        {person ? <RemoteLink href={remotePageOf(person)}>{name}</RemoteLink> : name}
        <br />
        <span class="handle">{person?.handle ?? member.target}</span>
      </th>
      <td>{person ? organisationOf(person) : <span class="secondary">Not known yet</span>}</td>
      <td>
        <StateText member={member} />
        <RowError id={id} error={error} />
      </td>
      <td>
        <RowActions ctx={ctx} base={base} member={member} name={name} id={id} error={error} />
      </td>
    </tr>
  );
}

/** Where the membership stands, in words. */
function StateText({ member }: { member: RemoteMember }) {
  switch (member.state) {
    case "resolving":
      return <span>Looking them up (resolving)</span>;
    case "failed":
      return <span>Could not be found</span>;
    case "requested":
      return <span>Asking to join</span>;
    case "active":
      return <span>Active member</span>;
    case "invited":
      return member.channel === "message" && member.expiresAt ? (
        <span>
          Invited as {ROLE_NAMES[member.role].toLowerCase()} by direct message, open until <DateText date={member.expiresAt} />
        </span>
      ) : (
        <span>Invited as {ROLE_NAMES[member.role].toLowerCase()}: invitation sent</span>
      );
  }
}

function RowError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <span class="field-error" id={`${id}-error`}>
      <span class="visually-hidden">Error: </span>
      {sentence(error)}
    </span>
  ) : null;
}

/** What a manager can do with the row: a member's role and removal, a request's answer, or taking back an invitation. */
function RowActions(props: { ctx: PageContext; base: string; member: RemoteMember; name: string; id: string; error?: string }) {
  const { ctx, base, member, name, id, error } = props;
  if (member.state === "active") {
    return (
      <div class="button-group">
        <form method="post" action={`${base}/role`} class="role-form">
          <CsrfField token={ctx.csrfToken} />
          <RoleSelect id={id} label={`Role of ${name}`} selected={member.role} error={error} />
          <button type="submit" class="button button-secondary">
            Change role<span class="visually-hidden"> of {name}</span>
          </button>
        </form>
        <PostButton ctx={ctx} action={`${base}/remove`} label="Remove" name={name} />
      </div>
    );
  }
  if (member.state === "requested") {
    return (
      <div class="button-group">
        <form method="post" action={`${base}/accept`} class="role-form">
          <CsrfField token={ctx.csrfToken} />
          <RoleSelect id={id} label={`Role to give ${name}`} selected="member" error={error} />
          <button type="submit" class="button">
            Accept<span class="visually-hidden"> {name}</span>
          </button>
        </form>
        <PostButton ctx={ctx} action={`${base}/reject`} label="Reject" name={name} />
      </div>
    );
  }
  // An invitation (sent or still being looked up) is taken back; one that found no one is cleared away.
  const label = member.state === "failed" ? "Remove" : "Withdraw invitation";
  return <PostButton ctx={ctx} action={`${base}/remove`} label={label} name={name} id={id} />;
}

function RoleSelect({ id, label, selected, error }: { id: string; label: string; selected: Role; error?: string }) {
  return (
    <>
      <label for={id} class="visually-hidden">
        {label}
      </label>
      <select id={id} name="role" aria-invalid={error ? "true" : undefined} aria-describedby={describedBy(id, undefined, error)}>
        {ROLES.map((r) => (
          <option value={r} selected={r === selected}>
            {ROLE_NAMES[r]}
          </option>
        ))}
      </select>
    </>
  );
}

/** A form of one button (no JavaScript needed), its label naming the person for screen readers. */
function PostButton({ ctx, action, label, name, id }: { ctx: PageContext; action: string; label: string; name: string; id?: string }) {
  return (
    <form method="post" action={action}>
      <CsrfField token={ctx.csrfToken} />
      <button type="submit" class="button button-secondary" id={id}>
        {label}
        <span class="visually-hidden"> {name}</span>
      </button>
    </form>
  );
}
