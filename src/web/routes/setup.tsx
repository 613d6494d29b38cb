import { Hono, type Context } from "hono";
import type { Actor } from "../../domain/types.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { SetupLinkUnusablePage, SetupPage } from "../pages/setup-page.tsx";
import type { Pages } from "../people.ts";
import { signInNewAccount } from "../session.ts";
import { formProblem, formText } from "./forms.ts";

/** First start (`/setup/{secret}`): the one-time setup link names the instance and creates its first administrator. */
export function setupRoutes({ services, config }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);

  const setupLinkUnusable = async (c: Context<WebEnv>) => {
    const alreadySetUp = !(await services.setup.needsSetup());
    return render(c, (ctx) => <SetupLinkUnusablePage ctx={ctx} alreadySetUp={alreadySetUp} />, 404);
  };

  app.get("/:secret", async (c) => {
    if (!(await services.setup.isValidSecret(c.req.param("secret")))) return setupLinkUnusable(c);
    return render(c, (ctx) => <SetupPage ctx={ctx} action={c.req.path} values={{}} errors={{}} />);
  });

  app.post("/:secret", async (c) => {
    const input = {
      instanceName: await formText(c, "instanceName"),
      displayName: await formText(c, "displayName"),
      handle: await formText(c, "handle"),
      password: await formText(c, "password"),
      jobTitle: await formText(c, "jobTitle"),
    };
    let admin: Actor | null;
    try {
      admin = await services.setup.complete(c.req.param("secret"), input);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return render(c, (ctx) => <SetupPage ctx={ctx} action={c.req.path} values={input} errors={errors} />, status);
    }
    if (!admin) return setupLinkUnusable(c);
    await signInNewAccount(c, services, config, admin);
    return c.redirect("/admin", 303);
  });

  return app;
}
