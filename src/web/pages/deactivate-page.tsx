import type { Actor } from "../../domain/types.ts";
import type { PageContext } from "./context.ts";
import { CsrfField } from "./components.tsx";
import { Layout } from "./layout.tsx";

/** Asks an administrator to confirm before a person is deactivated. */
export function DeactivatePage({ ctx, person }: { ctx: PageContext; person: Actor }) {
  const title = `Deactivate ${person.displayName}?`;
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="lede">They will be signed out and cannot sign in; their weeknotes stay.</p>
      <p>
        Their page and fediverse account (
        <span class="handle">
          @{person.handle}@{ctx.host}
        </span>
        ) stop answering. You can reactivate them later from the administration page.
      </p>
      <form method="post" action={`/admin/people/${person.handle}/deactivate`}>
        <CsrfField token={ctx.csrfToken} />
        <div class="button-group">
          <button type="submit" class="button button-warning">
            Deactivate {person.displayName}
          </button>
          <a href="/admin">Cancel</a>
        </div>
      </form>
    </Layout>
  );
}
