import { PasswordResetLinkPage } from "../pages/password-pages.tsx";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { forbidden } from "../../domain/errors.ts";
import type { Actor } from "../../domain/types.ts";
import { absoluteUrl, actorPath, invitationPath } from "../../domain/urls.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { AdminPage, type AdminPageProps } from "../pages/admin-page.tsx";
import { DeactivatePage } from "../pages/deactivate-page.tsx";
import { InvitationLinkPage } from "../pages/invitation-link-page.tsx";
import { ModerationLogPage } from "../pages/moderation-log-page.tsx";
import { isModerationAction, type ModerationFilter } from "../../domain/moderation.ts";
import type { Pages } from "../people.ts";
import { formProblem, formText } from "./forms.ts";
import { askedFor, signInFirst } from "./sign-in-first.ts";

/** Only instance administrators get past (signInFirst has run). */
const requireAdmin: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (!c.get("viewer")!.isAdmin) throw forbidden("Only the instance's administrators can use the administration pages.");
  await next();
};

/** The signed-in administrator (requireAdmin has run). */
const admin = (c: Context<WebEnv>): Actor => c.get("viewer")!;

/**
 * What instance administrators do (`/admin`): invite people, deactivate and
 * reactivate them, create communities, read the moderation log
 * (`/admin/moderation-log`).
 */
export function adminRoutes({ services, config, now }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  // Hono's "/*" covers "/admin" itself too.
  app.use("*", forPeople);
  app.use("/*", signInFirst(askedFor("/admin")), requireAdmin);

  /** The administration page, with a confirmation of the last action or the invitation form shown again. */
  async function adminPage(
    c: Context<WebEnv>,
    extra: Pick<AdminPageProps, "notice" | "invite" | "community" | "timeZone">,
    status: ContentfulStatusCode = 200,
  ) {
    const [people, communities, invitations, slowed] = await Promise.all([
      services.actors.list("person"),
      services.actors.list("community"),
      services.invitations.pending(admin(c)),
      services.sessions.slowedAccounts(),
    ]);
    const inviterIds = new Set(invitations.map((i) => i.invitedBy));
    const inviters = new Map(people.filter((p) => inviterIds.has(p.id)).map((p) => [p.id, p.displayName]));
    return render(
      c,
      (ctx) => (
        <AdminPage
          ctx={ctx}
          people={people}
          slowed={slowed}
          communities={communities}
          invitations={invitations}
          inviters={inviters}
          now={new Date(now())}
          emailsInvitations={services.invitations.emails}
          {...extra}
        />
      ),
      status,
    );
  }

  app.get("/", async (c) => {
    // After a redirect, say what was done; only handles of real people are named.
    const cleared = c.req.query("cleared");
    const changed = cleared ?? c.req.query("deactivated") ?? c.req.query("reactivated");
    const person = changed ? await services.actors.find(changed) : null;
    const notice =
      person?.kind === "person"
        ? cleared
          ? `${person.displayName} can sign in again at once: the failed sign-ins on their account are cleared.`
          : `${person.displayName} ${person.deactivatedAt ? "has been deactivated and can no longer sign in." : "has been reactivated and can sign in again."}`
        : c.req.query("cancelled") === "invitation"
          ? "The invitation has been cancelled; its link no longer works."
          : c.req.query("saved") === "time-zone"
            ? `Times are now shown and entered in ${c.get("timeZone")} time.`
            : undefined;
    return adminPage(c, { notice });
  });

  // The moderation log, filtered by `action`, `community` and `actor` (handles), a page at a time (`page`).
  app.get("/moderation-log", async (c) => {
    const [people, communities] = await Promise.all([services.actors.list("person"), services.actors.list("community")]);
    const chosen = { action: c.req.query("action") ?? "", community: c.req.query("community") ?? "", actor: c.req.query("actor") ?? "" };
    const community = communities.find((a) => a.handle === chosen.community);
    const actor = people.find((a) => a.handle === chosen.actor);
    const filter: ModerationFilter = {
      ...(isModerationAction(chosen.action) ? { action: chosen.action } : {}),
      ...(community ? { communityId: community.id } : {}),
      ...(actor ? { actorId: actor.id } : {}),
    };
    // What names nothing known is not a filter.
    const values = { action: filter.action ?? "", community: community?.handle ?? "", actor: actor?.handle ?? "" };
    const page = Math.max(1, Number.parseInt(c.req.query("page") ?? "1", 10) || 1);
    const log = await services.moderation.log(admin(c), filter, page);
    const pageHref = (n: number) => {
      const query = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== ""));
      if (n > 1) query.set("page", String(n));
      const text = query.toString();
      return text ? `/admin/moderation-log?${text}` : "/admin/moderation-log";
    };
    return render(c, (ctx) => (
      <ModerationLogPage ctx={ctx} {...log} filter={values} people={people} communities={communities} page={page} pageHref={pageHref} />
    ));
  });

  app.get("/people/:handle/deactivate", async (c) => {
    const person = await services.actors.require(c.req.param("handle"), "person");
    if (person.id === admin(c).id) throw forbidden("You cannot deactivate yourself. Another administrator can.");
    return render(c, (ctx) => <DeactivatePage ctx={ctx} person={person} />);
  });

  app.post("/people/:handle/deactivate", async (c) => {
    const person = await services.actors.deactivate(admin(c), c.req.param("handle"));
    return c.redirect(`/admin?deactivated=${person.handle}`, 303);
  });

  app.post("/people/:handle/reactivate", async (c) => {
    const person = await services.actors.reactivate(admin(c), c.req.param("handle"));
    return c.redirect(`/admin?reactivated=${person.handle}`, 303);
  });

  // A one-time link for someone who lost their password, shown to the administrator once.
  app.post("/people/:handle/password-reset", async (c) => {
    // Emailed to the person when the instance can; shown here either way, for the administrator to pass on if need be.
    const issued = await services.forgottenPasswords.issueAndSend(admin(c), c.req.param("handle"));
    return render(c, (ctx) => (
      <PasswordResetLinkPage ctx={ctx} person={issued.person} link={issued.link} expiresAt={issued.expiresAt} emailed={issued.emailed} />
    ));
  });

  // Someone guessing at an account slows its owner's sign-in too (by a minute at most); this lifts that at once.
  app.post("/people/:handle/clear-sign-in-failures", async (c) => {
    const person = await services.actors.require(c.req.param("handle"), "person");
    await services.sessions.clearFailures(person);
    return c.redirect(`/admin?cleared=${person.handle}`, 303);
  });

  app.post("/invitations/:id/cancel", async (c) => {
    await services.invitations.cancel(admin(c), c.req.param("id"));
    return c.redirect("/admin?cancelled=invitation", 303);
  });

  // The link is shown in this response and never again (only its hash is stored), so no redirect here.
  app.post("/invitations", async (c) => {
    const [note, email] = await Promise.all([formText(c, "note"), formText(c, "email")]);
    try {
      const { secret, invitation, emailedTo, sent } = await services.invitations.inviteByEmail(admin(c), note, email);
      const link = absoluteUrl(config.origin, invitationPath(secret));
      const emailed = emailedTo ? { to: emailedTo, sent } : null;
      return render(c, (ctx) => (
        <InvitationLinkPage ctx={ctx} link={link} note={invitation.note} expiresAt={invitation.expiresAt} emailed={emailed} />
      ));
    } catch (error) {
      const { status, errors } = formProblem(error);
      return adminPage(c, { invite: { note, email, errors } }, status);
    }
  });

  app.post("/time-zone", async (c) => {
    const value = await formText(c, "timeZone");
    try {
      await services.settings.setTimeZone(admin(c), value);
      return c.redirect("/admin?saved=time-zone", 303);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return adminPage(c, { timeZone: { value, errors } }, status);
    }
  });

  app.post("/communities", async (c) => {
    const [handle, name, purpose] = await Promise.all([formText(c, "handle"), formText(c, "name"), formText(c, "purpose")]);
    try {
      // Whoever creates it looks after it first: they become its administrator.
      const community = await services.actors.createCommunity({ handle, name, purpose }, c.get("viewer")!);
      return c.redirect(actorPath(community.handle), 303);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return adminPage(c, { community: { handle, name, purpose, errors } }, status);
    }
  });

  return app;
}
