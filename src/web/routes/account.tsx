import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono, type Context } from "hono";
import { DomainError, TooManyAttempts } from "../../domain/errors.ts";
import type { Actor } from "../../domain/types.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import type { FieldErrors } from "../pages/components.tsx";
import type { PageContext } from "../pages/context.ts";
import { InvitationPage, InvitationUnusablePage } from "../pages/invitation-page.tsx";
import type { PersonValues } from "../pages/person-fields.tsx";
import { SetupLinkUnusablePage, SetupPage } from "../pages/setup-page.tsx";
import { SignInPage } from "../pages/sign-in-page.tsx";
import type { Render } from "../render.ts";
import { endSession, startSession } from "../session.ts";
import { formProblem, formText } from "./forms.ts";

/**
 * Where to go after signing in: only a path on this site. "//host" and
 * "/\host" would leave it (browsers read a backslash as a slash), and
 * whitespace can be stripped into either, so those all mean "/".
 */
export function safeNext(next: string | undefined): string {
  return next && next.length <= 2000 && /^\/(?![/\\])[^\s\\]*$/.test(next) ? next : "/";
}

/**
 * Who is signing in, for the per-client limit on failures. Behind a trusted
 * proxy, the last X-Forwarded-For entry is the one that proxy added (earlier
 * entries are whatever the client sent); otherwise the socket's address.
 */
function clientAddress(c: Context<WebEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // No socket (a request made in-process, as tests do).
    return "unknown";
  }
}

/** Setup, sign in and out, and accepting invitations. */
export function accountRoutes({ services, config }: WebDeps, render: Render) {
  const app = new Hono<WebEnv>();

  /** Gives the browser a new session, ending the one it had (if any) so no stale sign-in lingers. */
  async function replaceSession(c: Context<WebEnv>, secret: string) {
    const previous = c.get("sessionSecret");
    if (previous) await services.sessions.signOut(previous);
    startSession(c, config, secret);
  }

  /** Signs in a person who has just created their account (no need to check the password they just chose). */
  async function signInNewAccount(c: Context<WebEnv>, person: Actor) {
    await replaceSession(c, (await services.sessions.start(person)).secret);
  }

  // First start: the one-time setup link.
  const setupLinkUnusable = async (c: Context<WebEnv>) => {
    const alreadySetUp = !(await services.setup.needsSetup());
    return render(c, (ctx) => <SetupLinkUnusablePage ctx={ctx} alreadySetUp={alreadySetUp} />, 404);
  };

  app.get("/setup/:secret", async (c) => {
    if (!(await services.setup.isValidSecret(c.req.param("secret")))) return setupLinkUnusable(c);
    return render(c, (ctx) => <SetupPage ctx={ctx} action={c.req.path} values={{}} errors={{}} />);
  });

  app.post("/setup/:secret", async (c) => {
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
    await signInNewAccount(c, admin);
    return c.redirect("/admin", 303);
  });

  // Signing in and out.
  app.get("/sign-in", (c) => {
    if (c.get("viewer")) return c.redirect("/", 303);
    const next = safeNext(c.req.query("next"));
    return render(c, (ctx) => <SignInPage ctx={ctx} next={next} />);
  });

  app.post("/sign-in", async (c) => {
    const handle = await formText(c, "handle");
    const next = safeNext(await formText(c, "next"));
    try {
      const { secret } = await services.sessions.signIn(handle, await formText(c, "password"), clientAddress(c, config.trustProxy));
      await replaceSession(c, secret);
      return c.redirect(next, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || (error.code !== "unauthorized" && error.code !== "too_many")) throw error;
      const status = error.code === "too_many" ? 429 : 401;
      // The page says how long to wait; Retry-After says it to programs.
      if (error instanceof TooManyAttempts) c.header("Retry-After", String(error.retryAfterSeconds));
      return render(c, (ctx) => <SignInPage ctx={ctx} handle={handle} next={next} problem={error.message} />, status);
    }
  });

  app.post("/sign-out", async (c) => {
    const secret = c.get("sessionSecret");
    if (secret) await services.sessions.signOut(secret);
    endSession(c, config);
    return c.redirect("/", 303);
  });

  // Invitations: the invited person creates their account.
  const invitationUnusable = (c: Context<WebEnv>) => render(c, (ctx) => <InvitationUnusablePage ctx={ctx} />, 404);

  /** The invitation form for this link, with what was typed and what is wrong with it; null if the link cannot be used. */
  async function invitationPage(secret: string, action: string, values: PersonValues, errors: FieldErrors) {
    const invitation = await services.invitations.open(secret);
    if (!invitation) return null;
    const inviter = await services.store.actors.findById(invitation.invitedBy);
    const inviterName = inviter?.displayName ?? "An administrator";
    return (ctx: PageContext) => (
      <InvitationPage ctx={ctx} action={action} invitation={invitation} inviterName={inviterName} values={values} errors={errors} />
    );
  }

  app.get("/invitations/:secret", async (c) => {
    const page = await invitationPage(c.req.param("secret"), c.req.path, {}, {});
    return page ? render(c, page) : invitationUnusable(c);
  });

  app.post("/invitations/:secret", async (c) => {
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
    await signInNewAccount(c, person);
    return c.redirect(`/@${person.handle}`, 303);
  });

  return app;
}
