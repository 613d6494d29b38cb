import type { Context } from "hono";
import { forbidden } from "../../../domain/errors.ts";
import type { Actor } from "../../../domain/types.ts";
import { communityProfilePath } from "../../../domain/urls.ts";
import type { WebDeps } from "../../deps.ts";
import type { WebEnv } from "../../env.ts";
import { ProfilePage, profileValues } from "../../pages/profile-page.tsx";
import type { Render } from "../../render.ts";
import { formBody, formProblem } from "../forms.ts";
import { readProfileForm, savedNotice } from "../profile.ts";
import { handleOf } from "./handle.ts";

/** A community's profile (`/@team/profile`), for its administrators and the instance's. */
export function communityProfileHandlers({ services }: WebDeps, render: Render) {
  async function editable(c: Context<WebEnv>): Promise<Actor> {
    const community = await services.actors.require(handleOf(c), "community");
    if (!(await services.profiles.mayEditCommunity(c.get("viewer"), community))) {
      throw forbidden(`Only administrators of ${community.displayName}, and of this server, can edit its profile.`);
    }
    return community;
  }

  async function page(c: Context<WebEnv>) {
    const community = await editable(c);
    const action = communityProfilePath(community.handle);
    return render(c, (ctx) => (
      <ProfilePage ctx={ctx} actor={community} action={action} values={profileValues(community)} notice={savedNotice(c)} />
    ));
  }

  async function save(c: Context<WebEnv>) {
    const community = await editable(c);
    const action = communityProfilePath(community.handle);
    const { values, input } = await readProfileForm(await formBody(c), community);
    try {
      await services.profiles.editCommunity(c.get("viewer")!, community.handle, input);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return render(c, (ctx) => <ProfilePage ctx={ctx} actor={community} action={action} values={values} errors={errors} />, status);
    }
    return c.redirect(`${action}?done=saved`, 303);
  }

  return { page, save };
}
