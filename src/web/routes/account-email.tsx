import { Hono, type Context } from "hono";
import { ACCOUNT_EMAIL_PATH } from "../../domain/urls.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { AccountEmailPage } from "../pages/account-email-page.tsx";
import type { FieldErrors } from "../pages/components.tsx";
import type { Pages } from "../people.ts";
import { bodyText, formBody, formProblem } from "./forms.ts";
import { askedFor, signInFirst } from "./sign-in-first.ts";

const NOTICES: Record<string, string> = {
  saved: "Your email address is saved.",
  removed: "Your email address is removed.",
};

/** A person's own email address (`/account/email`), for the person signed in. */
export function accountEmailRoutes({ services }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);
  app.use("*", signInFirst(askedFor(ACCOUNT_EMAIL_PATH)));

  async function page(c: Context<WebEnv>, shown: { notice?: string; typed?: string; errors?: FieldErrors }, status: 200 | 400 | 409 = 200) {
    const email = await services.accountEmail.of(c.get("viewer")!);
    const sending = services.forgottenPasswords.offered;
    return render(c, (ctx) => <AccountEmailPage ctx={ctx} email={email} sending={sending} {...shown} />, status);
  }

  app.get("/", (c) => page(c, { notice: NOTICES[c.req.query("done") ?? ""] }));

  app.post("/", async (c) => {
    const body = await formBody(c);
    const typed = bodyText(body, "email");
    try {
      const saved = await services.accountEmail.change(c.get("viewer")!, bodyText(body, "current"), typed);
      return c.redirect(`${ACCOUNT_EMAIL_PATH}?done=${saved ? "saved" : "removed"}`, 303);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return page(c, { typed, errors }, status === 409 ? 409 : 400);
    }
  });

  return app;
}
