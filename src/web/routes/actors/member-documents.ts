import type { Context, Next } from "hono";
import { membersCollection, membershipDocument, moderatorsCollection } from "../../../../federation/vocab/members-collection.ts";
import type { Actor } from "../../../domain/types.ts";
import type { RosterEntry } from "../../../services/community-members.ts";
import type { WebDeps } from "../../deps.ts";
import { handleOf } from "./handle.ts";

/** Servers ask for ActivityPub JSON by name; browsers never do. */
const wantsJsonLd = (accept: string | undefined) => /application\/(activity|ld)\+json/.test(accept ?? "");

const activityJson = { "content-type": "application/activity+json", vary: "Accept" };

/**
 * A community's memberships for servers: its members collection (the members
 * page's own address), its moderators collection, and each membership at its
 * id (the member's row on that page). Fedify's collections cannot carry
 * Connexo's terms, so these routes answer servers themselves; people asking
 * the same URLs go on to the pages.
 */
export function memberDocuments({ services, federation, contextData }: WebDeps) {
  /** Answers a server's request with the document built from the community's roster; anyone else goes on. */
  const forServers =
    (build: (c: Context, community: Actor, roster: RosterEntry[], ctx: ReturnType<typeof federation.createContext>) => unknown) =>
    async (c: Context, next: Next) => {
      if (!wantsJsonLd(c.req.header("accept"))) {
        await next();
        c.res.headers.append("vary", "Accept");
        return;
      }
      const community = await services.actors.find(handleOf(c));
      if (!community || community.kind !== "community" || community.deactivatedAt) {
        return c.json({ error: "There is no such community." }, 404, { vary: "Accept" });
      }
      const roster = await services.communityMembers.roster(community, await services.setup.instanceName());
      const ctx = federation.createContext(c.req.raw, contextData);
      const document = build(c, community, roster, ctx);
      if (document === null) return c.json({ error: "There is no such membership." }, 404, { vary: "Accept" });
      return c.body(JSON.stringify(document), 200, activityJson);
    };

  return {
    members: forServers((c, community, roster, ctx) => {
      const page = c.req.query("page");
      const number = page === undefined ? null : Number.parseInt(page, 10);
      if (number !== null && !(number >= 1)) return null;
      return membersCollection(ctx, community, roster, number);
    }),
    moderators: forServers((_c, community, roster, ctx) => moderatorsCollection(ctx, community, roster)),
    localMembership: forServers((c, community, roster, ctx) => {
      const entry = roster.find((e) => "handle" in e.member && e.member.handle === c.req.param("person"));
      return entry ? membershipDocument(ctx, community, entry) : null;
    }),
    remoteMembership: forServers((c, community, roster, ctx) => {
      const entry = roster.find((e) => "remoteMemberId" in e.member && e.member.remoteMemberId === c.req.param("id"));
      return entry ? membershipDocument(ctx, community, entry) : null;
    }),
  };
}
