import type { Actor, Membership, RemoteMember, Role } from "../../domain/types.ts";
import { ROLES } from "../../services/permissions.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, describedBy, ErrorSummary, Notice, sentence, TextInput, type FieldErrors, ScrollableTable } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { RemoteMembers } from "./remote-members.tsx";
import { ROLE_HINTS, ROLE_NAMES } from "./roles.ts";
import { actorPath, memberPath, membersPath } from "../../domain/urls.ts";

/** The add form's text and errors, when it is shown again (errors keyed by the page's ids: `person`, `new-role`). */
export interface AddMemberForm {
  person: string;
  role: string;
  errors: FieldErrors;
}

export interface MembersPageProps {
  ctx: PageContext;
  community: Actor;
  /** Every member, deactivated people too (so that they can be removed). */
  memberships: Membership[];
  /** Everyone elsewhere: invited, being looked up, not found, asking to join, members. */
  remoteMembers: RemoteMember[];
  /** A change to someone elsewhere that was refused, keyed by their row's control (`remote-{id}`). */
  remoteErrors?: FieldErrors;
  /** What the last action did, to confirm it. */
  notice?: string;
  /** A change to one member that was refused, keyed by the row's role control (`role-bob`). */
  rowErrors?: FieldErrors;
  add?: AddMemberForm;
}

/** The id of a member's role control; the add form's ids start with "new-" so a handle cannot clash with them. */
export const roleControlId = (handle: string) => `role-${handle}`;

/** A community's members and their roles, for its administrators to change, remove and add to. */
export function MembersPage(props: MembersPageProps) {
  const { ctx, community } = props;
  const heading = `Members of ${community.displayName}`;
  const hasErrors = Object.keys({ ...props.rowErrors, ...props.remoteErrors, ...props.add?.errors }).length > 0;
  return (
    <Layout ctx={ctx} title={hasErrors ? `Error: ${heading}` : heading}>
      <p class="secondary">
        <a href={actorPath(community.handle)}>{community.displayName}</a>
      </p>
      <h1>{heading}</h1>
      <Notice message={props.notice} />
      <MemberTable ctx={ctx} community={community} memberships={props.memberships} errors={props.rowErrors ?? {}} />
      <RemoteMembers ctx={ctx} community={community} members={props.remoteMembers} errors={props.remoteErrors ?? {}} />
      <AddMember ctx={ctx} community={community} add={props.add} />
    </Layout>
  );
}

function MemberTable({
  ctx,
  community,
  memberships,
  errors,
}: {
  ctx: PageContext;
  community: Actor;
  memberships: Membership[];
  errors: FieldErrors;
}) {
  const labels = Object.fromEntries(memberships.map((m) => [roleControlId(m.person.handle), `Role of ${m.person.displayName}`]));
  return (
    <section aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      <ErrorSummary errors={errors} labels={labels} />
      {memberships.length === 0 ? (
        <p class="secondary">No members yet. Add the first below; a community needs at least one administrator to manage it.</p>
      ) : (
        <>
          <p>
            Choose a new role and select Change role. What each role may do is described under <a href="#add-title">Add a member</a>.
          </p>
          <ScrollableTable label="Members">
            <table aria-labelledby="members-title">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Handle</th>
                  <th scope="col">Role</th>
                  <th scope="col">
                    <span class="visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {memberships.map((m) => (
                  <MemberRow ctx={ctx} community={community} membership={m} error={errors[roleControlId(m.person.handle)]} />
                ))}
              </tbody>
            </table>
          </ScrollableTable>
        </>
      )}
    </section>
  );
}

function MemberRow({ ctx, community, membership, error }: { ctx: PageContext; community: Actor; membership: Membership; error?: string }) {
  const { person, role } = membership;
  const id = roleControlId(person.handle);
  const base = memberPath(community.handle, person.handle);
  return (
    <tr>
      <th scope="row">
        {/* A deactivated person's page is gone, so only active people get a link. */}
        {person.deactivatedAt ? (
          <>
            {person.displayName} <span class="secondary">(deactivated)</span>
          </>
        ) : (
          <a href={actorPath(person.handle)}>{person.displayName}</a>
        )}
        {person.id === ctx.viewer?.id ? <span class="secondary"> (you)</span> : null}
      </th>
      <td>
        <span class="handle">@{person.handle}</span>
      </td>
      <td>
        <form method="post" action={`${base}/role`} class={error ? "role-form field-with-error" : "role-form"}>
          <CsrfField token={ctx.csrfToken} />
          <label for={id} class="visually-hidden">
            Role of {person.displayName}
          </label>
          {error ? (
            <span class="field-error" id={`${id}-error`}>
              <span class="visually-hidden">Error: </span>
              {sentence(error)}
            </span>
          ) : null}
          <select id={id} name="role" aria-invalid={error ? "true" : undefined} aria-describedby={describedBy(id, undefined, error)}>
            {ROLES.map((r) => (
              <option value={r} selected={r === role}>
                {ROLE_NAMES[r]}
              </option>
            ))}
          </select>
          <button type="submit" class="button button-secondary" id={`change-${id}`}>
            Change role<span class="visually-hidden"> of {person.displayName}</span>
          </button>
        </form>
      </td>
      <td>
        {/* Removing asks first, on a page of its own. */}
        <a class="button button-secondary" id={`remove-${person.handle}`} href={`${base}/remove`}>
          Remove<span class="visually-hidden"> {person.displayName}</span>
        </a>
      </td>
    </tr>
  );
}

function AddMember({ ctx, community, add }: { ctx: PageContext; community: Actor; add?: AddMemberForm }) {
  const errors = add?.errors ?? {};
  return (
    <section aria-labelledby="add-title">
      <h2 id="add-title">Add a member</h2>
      <p>
        Anyone with an account on this server can be a member, and so can people on other servers: they are sent an invitation, and join
        when they accept it. Anyone else on the fediverse can follow{" "}
        <span class="handle">
          @{community.handle}@{ctx.host}
        </span>
        .
      </p>
      <ErrorSummary errors={errors} labels={{ person: "Their handle", "new-role": "Role" }} />
      <form method="post" action={membersPath(community.handle)} novalidate>
        <CsrfField token={ctx.csrfToken} />
        <TextInput
          name="person"
          label="Their handle"
          hint="Someone here as on their page, for example bob; someone elsewhere as @bob@example.org, or the address of their profile."
          autocomplete="off"
          spellcheck={false}
          narrow
          value={add?.person}
          error={errors.person}
        />
        <RoleChoice selected={add?.role ?? "member"} error={errors["new-role"]} />
        <div class="button-group">
          <button type="submit" class="button">
            Add member
          </button>
        </div>
      </form>
    </section>
  );
}

/** The four roles as radio buttons, each with what it may do. The first carries the group's id, for the error summary's link. */
function RoleChoice({ selected, error }: { selected: string; error?: string }) {
  const idOf = (role: Role, index: number) => (index === 0 ? "new-role" : `new-role-${role}`);
  return (
    <div class={error ? "field field-with-error" : "field"}>
      <fieldset aria-describedby={error ? "new-role-error" : undefined}>
        <legend>Role</legend>
        {error ? (
          <span class="field-error" id="new-role-error">
            <span class="visually-hidden">Error: </span>
            {sentence(error)}
          </span>
        ) : null}
        {ROLES.map((role, index) => {
          const id = idOf(role, index);
          return (
            <div class="radio">
              <input type="radio" id={id} name="role" value={role} checked={role === selected} aria-describedby={`${id}-hint`} />
              <label for={id}>{ROLE_NAMES[role]}</label>
              <span class="hint" id={`${id}-hint`}>
                {ROLE_HINTS[role]}
              </span>
            </div>
          );
        })}
      </fieldset>
    </div>
  );
}
