import type { Context } from "hono";
import { actorPath } from "../../../domain/urls.ts";
import type { WebDeps } from "../../deps.ts";
import type { WebEnv } from "../../env.ts";
import { formText } from "../forms.ts";
import { handleOf } from "./handle.ts";

/**
 * What a community's members elsewhere shared in it (`/@{community}/shared`):
 * its facilitators and administrators, and the instance's, take a post out.
 * The service checks the permission.
 */
export function sharedPostHandlers({ services }: WebDeps) {
  /** POST `/shared/withdraw`: takes the post named by its address out of the community, then back to its page. */
  async function withdraw(c: Context<WebEnv>) {
    const post = await formText(c, "post");
    await services.communityMembers.withdrawPost(c.get("viewer")!, handleOf(c), post);
    return c.redirect(`${actorPath(handleOf(c))}?withdrawn=1`, 303);
  }

  return { withdraw };
}
