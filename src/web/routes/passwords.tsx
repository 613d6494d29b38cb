import { Hono } from "hono";
import { notFound } from "../../domain/errors.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { CHANGE_PASSWORD_PATH } from "../../domain/urls.ts";
import { ChangePasswordPage, PasswordResetDonePage, ResetPasswordPage } from "../pages/password-pages.tsx";
import type { Pages } from "../people.ts";
import { bodyText, formBody, formProblem } from "./forms.ts";
import { askedFor, signInFirst } from "./sign-in-first.ts";

const LINK_GONE = "This link has been used or has expired. Ask an administrator for a new one.";

/** Changing one's own password (`/account/password`), for the person signed in. */
export function accountRoutes({ services }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);
  app.use("*", signInFirst(askedFor(CHANGE_PASSWORD_PATH)));

  app.get("/password", (c) =>
    render(c, (ctx) => (
      <ChangePasswordPage ctx={ctx} notice={c.req.query("done") === "changed" ? "Your password is changed." : undefined} />
    )),
  );

  app.post("/password", async (c) => {
    const body = await formBody(c);
    try {
      await services.passwords.change(c.get("viewer")!, c.get("sessionSecret"), bodyText(body, "current"), bodyText(body, "password"));
      return c.redirect(`${CHANGE_PASSWORD_PATH}?done=changed`, 303);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return render(c, (ctx) => <ChangePasswordPage ctx={ctx} errors={errors} />, status);
    }
  });

  return app;
}

/** One-time links to choose a new password (`/password-reset/{secret}`), for whoever holds one. */
export function passwordResetRoutes({ services }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);

  app.get("/:secret", async (c) => {
    const person = await services.passwords.openReset(c.req.param("secret"));
    if (!person) throw notFound(LINK_GONE);
    return render(c, (ctx) => <ResetPasswordPage ctx={ctx} person={person} secret={c.req.param("secret")} />);
  });

  app.post("/:secret", async (c) => {
    const secret = c.req.param("secret");
    const person = await services.passwords.openReset(secret);
    if (!person) throw notFound(LINK_GONE);
    try {
      if (!(await services.passwords.completeReset(secret, bodyText(await formBody(c), "password")))) throw notFound(LINK_GONE);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return render(c, (ctx) => <ResetPasswordPage ctx={ctx} person={person} secret={secret} errors={errors} />, status);
    }
    return render(c, (ctx) => <PasswordResetDonePage ctx={ctx} />);
  });

  return app;
}
