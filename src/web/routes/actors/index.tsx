import { Hono } from "hono";
import { actorPath, communityModerationPath, communityProfilePath, membersPath } from "../../../domain/urls.ts";
import type { WebDeps } from "../../deps.ts";
import type { WebEnv } from "../../env.ts";
import type { Pages } from "../../people.ts";
import { registerPages } from "../decisions/register.tsx";
import { signInFirst } from "../sign-in-first.ts";
import { actorPage } from "./actor-page.tsx";
import { actorFeeds } from "./feeds.ts";
import { handleOf } from "./handle.ts";
import { communityImpactHandlers } from "./impact.tsx";
import { memberDocuments } from "./member-documents.ts";
import { memberHandlers } from "./members.tsx";
import { moderationHandlers } from "./moderation.tsx";
import { communityProfileHandlers } from "./profile.tsx";
import { referredPage } from "./referred.tsx";
import { sharedPostHandlers } from "./shared-posts.tsx";

/**
 * People's and communities' addresses (`/@{handle}`): the actor's page
 * (its id too: Fedify answers servers there, and at its inbox, outbox and
 * collections, before this), its Atom feeds, a community's register of
 * decision records, its members page, its moderation page, and taking
 * members' posts from elsewhere out of it.
 */
export function actorRoutes(deps: WebDeps, { render, forPeople, cached }: Pages) {
  const app = new Hono<WebEnv>();
  const feeds = actorFeeds(deps);
  const register = registerPages(deps, render);
  const members = memberHandlers(deps, render);
  const shared = sharedPostHandlers(deps);
  const moderation = moderationHandlers(deps, render);
  const profile = communityProfileHandlers(deps, render);
  const impact = communityImpactHandlers(deps, render);

  // For feed readers and servers: no session, no cookie.
  app.get("/feed.atom", feeds.weeknotes);
  app.get("/decisions/feed.atom", feeds.decisions);
  app.get("/impact/outcomes.atom", impact.feed);
  const memberships = memberDocuments(deps);
  app.get("/members", memberships.members);
  app.get("/moderators", memberships.moderators);
  app.get("/members/elsewhere/:id", memberships.remoteMembership);
  app.get("/members/:person", memberships.localMembership);

  // For people.
  app.use("/", cached);
  app.use("/decisions", cached);
  app.use("/impact", cached);
  app.use("*", forPeople);
  // Hono's "/members/*" covers "/members" itself too.
  app.use(
    "/members/*",
    signInFirst((c) => membersPath(handleOf(c))),
  );
  app.use(
    "/moderation/*",
    signInFirst((c) => communityModerationPath(handleOf(c))),
  );
  app.use(
    "/profile",
    signInFirst((c) => communityProfilePath(handleOf(c))),
  );
  app.use(
    "/shared/*",
    signInFirst((c) => actorPath(handleOf(c))),
  );

  app.get("/", actorPage(deps, render));
  app.get("/decisions", register.community);
  app.get("/impact", impact.page);
  app.get("/members", members.page);
  app.post("/members", members.add);
  app.post("/members/:person/role", members.changeRole);
  app.get("/members/:person/remove", members.confirmRemoval);
  app.post("/members/:person/remove", members.remove);
  app.post("/members/elsewhere/:id/role", members.remoteRole);
  app.post("/members/elsewhere/:id/remove", members.remoteRemove);
  app.post("/members/elsewhere/:id/accept", members.remoteAccept);
  app.post("/members/elsewhere/:id/reject", members.remoteReject);
  app.post("/shared/withdraw", shared.withdraw);
  app.get("/profile", profile.page);
  app.post("/profile", profile.save);
  app.get("/moderation", moderation.page);
  app.get("/referred", referredPage(deps, render));
  app.post("/moderation/reply-policy", moderation.replyPolicy);
  app.post("/moderation/block", moderation.block);
  app.post("/moderation/unblock", moderation.unblock);

  return app;
}
