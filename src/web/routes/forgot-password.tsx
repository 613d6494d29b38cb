import { Hono } from "hono";
import { DomainError, TooManyAttempts } from "../../domain/errors.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { ForgotPasswordPage, ForgotPasswordSentPage } from "../pages/forgot-password-page.tsx";
import type { Pages } from "../people.ts";
import { bodyText, formBody, formProblem } from "./forms.ts";
import { clientAddress } from "./sign-in.tsx";

/**
 * "Forgot your password?" (`/password-reset`): a reset link by email. Every
 * request gets the same page, so that it tells no one which accounts or
 * addresses are here; too many get it too, with 429.
 */
export function forgotPasswordRoutes({ services, config }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);
  const offered = () => services.forgottenPasswords.offered;

  app.get("/", (c) => render(c, (ctx) => <ForgotPasswordPage ctx={ctx} offered={offered()} />));

  app.post("/", async (c) => {
    if (!offered()) return render(c, (ctx) => <ForgotPasswordPage ctx={ctx} offered={false} />, 404);
    const typed = bodyText(await formBody(c), "account");
    try {
      await services.forgottenPasswords.request(typed, clientAddress(c, config.trustProxy));
    } catch (error) {
      if (error instanceof TooManyAttempts) {
        c.header("Retry-After", String(error.retryAfterSeconds));
        return render(c, (ctx) => <ForgotPasswordSentPage ctx={ctx} />, 429);
      }
      if (error instanceof DomainError && error.code === "invalid") {
        const { status, errors } = formProblem(error);
        return render(c, (ctx) => <ForgotPasswordPage ctx={ctx} offered typed={typed} errors={errors} />, status);
      }
      throw error;
    }
    return render(c, (ctx) => <ForgotPasswordSentPage ctx={ctx} />);
  });

  return app;
}
