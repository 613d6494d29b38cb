import type { Actor, Role } from "../../domain/types.ts";
import { can } from "../../services/permissions.ts";
import type { PageContext } from "./context.ts";
import { CsrfField } from "./components.tsx";
import { Layout } from "./layout.tsx";
import { aRole } from "./roles.ts";
import { membersPath } from "../../domain/urls.ts";

/** Asks before a person is removed from a community. */
export function RemoveMemberPage({ ctx, community, person, role }: { ctx: PageContext; community: Actor; person: Actor; role: Role }) {
  const title = `Remove ${person.displayName} from ${community.displayName}?`;
  const membersPage = membersPath(community.handle);
  const yourself = person.id === ctx.viewer?.id;
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="lede">
        {yourself ? "You are" : `${person.displayName} is`} {aRole(role)} of {community.displayName}. Once removed,{" "}
        {yourself ? "you are" : "they are"} no longer listed among its members
        {can(role, "publish") ? ` and can no longer publish there${can(role, "manage") ? " or manage it" : ""}` : ""}; weeknotes already
        published there stay.
      </p>
      <p>{yourself ? "An administrator can add you again later." : "You can add them again later from the members page."}</p>
      <form method="post" action={`${membersPage}/${person.handle}/remove`}>
        <CsrfField token={ctx.csrfToken} />
        <div class="button-group">
          <button type="submit" class="button button-warning">
            Remove {person.displayName}
          </button>
          <a href={membersPage}>Cancel</a>
        </div>
      </form>
    </Layout>
  );
}
