import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Actor, MembershipElsewhere } from "../../domain/types.ts";
import { MEMBERSHIPS_PATH } from "../../domain/urls.ts";
import type { WebDeps } from "../deps.ts";
import type { WebEnv } from "../env.ts";
import { MembershipsPage, type MembershipsPageProps } from "../pages/memberships-page.tsx";
import type { Pages } from "../people.ts";
import { formProblem, formText } from "./forms.ts";
import { signInFirst } from "./sign-in-first.ts";

/** What was just done, named in the page's address after a form (`?done=accepted`), and how the page confirms it. */
const NOTICES = {
  accepted: "Invitation accepted: the community has been told, and it appears under “Your memberships”.",
  declined: "Invitation declined: the community has been told.",
  requested: "Your request has been sent. It appears under “Your memberships” once the community lets you in.",
  withdrawn: "Your request to join has been withdrawn.",
  left: "You have left the community: it has been told.",
  removed: "It has been removed from the list.",
} as const;

type Done = keyof typeof NOTICES;

/** What leaving means for a membership in this state. */
const leaveDone = (membership: MembershipElsewhere): Done =>
  membership.state === "active" ? "left" : membership.state === "requested" || membership.state === "resolving" ? "withdrawn" : "removed";

/**
 * The signed-in person's memberships of communities on other servers
 * (`/memberships`): answering invitations, asking to join, leaving. The
 * services check that each membership is the person's own.
 */
export function membershipRoutes({ services }: WebDeps, { render, forPeople }: Pages) {
  const app = new Hono<WebEnv>();
  app.use("*", forPeople);
  // A posted form goes back to the page, where it can be done again once signed in.
  app.use(
    "*",
    signInFirst(() => MEMBERSHIPS_PATH),
  );

  const viewer = (c: Context<WebEnv>): Actor => c.get("viewer")!;
  const done = (c: Context<WebEnv>, what: Done) => c.redirect(`${MEMBERSHIPS_PATH}?done=${what}`, 303);

  async function show(c: Context<WebEnv>, extra: Omit<MembershipsPageProps, "ctx" | "memberships">, status?: ContentfulStatusCode) {
    const memberships = await services.membershipsElsewhere.of(viewer(c));
    return render(c, (ctx) => <MembershipsPage ctx={ctx} memberships={memberships} {...extra} />, status);
  }

  app.get("/", (c) => {
    const asked = c.req.query("done") ?? "";
    return show(c, { notice: Object.hasOwn(NOTICES, asked) ? NOTICES[asked as Done] : undefined });
  });

  app.post("/", async (c) => {
    const community = (await formText(c, "community")).trim();
    try {
      await services.membershipsElsewhere.requestJoin(viewer(c), community);
    } catch (error) {
      const { status, errors } = formProblem(error);
      return show(c, { join: { community, errors } }, status);
    }
    return done(c, "requested");
  });

  app.post("/:id/accept", async (c) => {
    await services.membershipsElsewhere.answerInvitation(viewer(c), c.req.param("id"), true);
    return done(c, "accepted");
  });

  app.post("/:id/decline", async (c) => {
    await services.membershipsElsewhere.answerInvitation(viewer(c), c.req.param("id"), false);
    return done(c, "declined");
  });

  app.post("/:id/leave", async (c) => {
    const membership = await services.membershipsElsewhere.leave(viewer(c), c.req.param("id"));
    return done(c, leaveDone(membership));
  });

  return app;
}
