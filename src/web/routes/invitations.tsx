import { Hono, type Context } from "hono";
import type { Actor } from "../../domain/types.ts";
import { actorPath } from "../../domain/urls.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import type { FieldErrors } from "../pages/components.tsx";
import type { PageContext } from "../pages/context.ts";
import { InvitationPage, InvitationUnusablePage } from "../pages/invitation-page.tsx";
import type { PersonValues } from "../pages/person-fields.tsx";
import type { Pages } from "../people.ts";
import { signInNewAccount } from "../session.ts";
import { formProblem, formText } from "./forms.ts";

/** Invitations (`/invitations/{secret}`): the invited person creates their account. */
export function invitationRoutes({ services, config }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);

  const invitationUnusable = (c: Context<WebEnv>) => render(c, (ctx) => <InvitationUnusablePage ctx={ctx} />, 404);

  /** The invitation form for this link, with what was typed and what is wrong with it; null if the link cannot be used. */
  async function invitationPage(secret: string, action: string, values: PersonValues, errors: FieldErrors) {
    const invitation = await services.invitations.open(secret);
    if (!invitation) return null;
    const inviter = await services.actors.findById(invitation.invitedBy);
    const inviterName = inviter?.displayName ?? "An administrator";
    return (ctx: PageContext) => (
      <InvitationPage ctx={ctx} action={action} invitation={invitation} inviterName={inviterName} values={values} errors={errors} />
    );
  }

  app.get("/:secret", async (c) => {
    const page = await invitationPage(c.req.param("secret"), c.req.path, {}, {});
    return page ? render(c, page) : invitationUnusable(c);
  });

  app.post("/:secret", async (c) => {
    const secret = c.req.param("secret");
    const input = {
      displayName: await formText(c, "displayName"),
      handle: await formText(c, "handle"),
      password: await formText(c, "password"),
      jobTitle: await formText(c, "jobTitle"),
    };
    let person: Actor | null;
    try {
      person = await services.invitations.accept(secret, input);
    } catch (error) {
      const { status, errors } = formProblem(error);
      const page = await invitationPage(secret, c.req.path, input, errors);
      return page ? render(c, page, status) : invitationUnusable(c);
    }
    if (!person) return invitationUnusable(c);
    await signInNewAccount(c, services, config, person);
    return c.redirect(actorPath(person.handle), 303);
  });

  return app;
}
