import { Hono } from "hono";
import { isElsewhere } from "../domain/elsewhere.ts";
import { DomainError, forbidden, invalid, notFound } from "../domain/errors.ts";
import type { Actor, Post } from "../domain/types.ts";
import { absoluteUrl, notePath, postPath } from "../domain/urls.ts";
import { can } from "../services/permissions.ts";
import type { WebDeps } from "./deps.ts";

type Env = { Variables: { person: Actor } };

/**
 * The JSON API, for scripts that publish weeknotes and answer consultations' replies. Every call needs
 * `Authorization: Bearer <token>` (tokens come from `connexo token`).
 */
export function apiRoutes({ services, config }: WebDeps) {
  const app = new Hono<Env>();

  app.use("*", async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
    const person = token ? await services.tokens.authenticate(token) : null;
    if (!person) {
      c.header("WWW-Authenticate", 'Bearer realm="connexo"');
      throw new DomainError("unauthorized", "A valid bearer token is required.");
    }
    c.set("person", person);
    await next();
  });

  const body = async (c: { req: { json(): Promise<unknown> } }) => {
    const value = await c.req.json().catch(() => undefined);
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid("The body must be a JSON object.");
    return value as Record<string, unknown>;
  };
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const tags = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? v : undefined);
  const view = (post: Post) => ({
    id: post.id,
    url: absoluteUrl(config.origin, postPath(post.id)),
    state: post.state,
    title: post.title,
    summary: post.summary,
    body: post.bodyMarkdown,
    tags: post.tags,
    week: post.isoWeek,
    publishedAt: post.publishedAt?.toISOString() ?? null,
    updatedAt: post.updatedAt?.toISOString() ?? null,
  });
  const weeknoteInput = (b: Record<string, unknown>) => ({
    title: str(b.title) ?? "",
    summary: str(b.summary) ?? "",
    body: str(b.body) ?? "",
    tags: tags(b.tags),
    week: str(b.week),
  });

  app.post("/weeknotes", async (c) => {
    const b = await body(c);
    const community = str(b.community);
    if (!community) throw invalid("community is required.", { community: "required" });
    const post = await services.weeknotes.publish(community, c.get("person"), weeknoteInput(b), { draft: b.draft === true });
    return c.json(view(post), 201);
  });

  app.get("/weeknotes/:id", async (c) => {
    const post = await services.weeknotes.get(c.req.param("id"));
    if (!post || post.kind !== "weeknote" || post.state === "deleted") throw notFound("There is no such weeknote.");
    if (post.state === "draft" && post.authorId !== c.get("person").id) throw notFound("There is no such weeknote.");
    return c.json(view(post));
  });

  app.patch("/weeknotes/:id", async (c) => {
    const b = await body(c);
    const existing = await services.weeknotes.get(c.req.param("id"));
    if (!existing || existing.state === "deleted") throw notFound("There is no such weeknote.");
    // Fields left out keep their values.
    const merged = {
      title: str(b.title) ?? existing.title ?? "",
      summary: str(b.summary) ?? existing.summary ?? "",
      body: str(b.body) ?? existing.bodyMarkdown,
      tags: tags(b.tags) ?? existing.tags,
      week: str(b.week),
    };
    const post = await services.weeknotes.edit(existing.id, c.get("person"), merged, { publish: b.publish === true });
    return c.json(view(post));
  });

  app.delete("/weeknotes/:id", async (c) => {
    await services.weeknotes.delete(c.req.param("id"), c.get("person"));
    return c.body(null, 204);
  });

  /** Follow a remote account as yourself, or as a community you manage. */
  app.post("/follows", async (c) => {
    const b = await body(c);
    const person = c.get("person");
    const as = str(b.as) ?? person.handle;
    if (as !== person.handle) {
      const community = await services.actors.require(as, "community");
      if (!can(await services.actors.roleIn(community, person), "manage")) {
        throw forbidden(`@${person.handle} may not act for @${community.handle}.`);
      }
    }
    const following = await services.follows.requestFollow(as, str(b.target) ?? "");
    return c.json({ id: following.id, target: following.target, state: following.state }, 202);
  });

  /**
   * Add a member to a community you manage: someone here by their handle
   * (at once), or someone elsewhere by `@user@host` or their profile's
   * address (invited in the background: they join when they accept).
   */
  app.post("/communities/:handle/members", async (c) => {
    const b = await body(c);
    const account = str(b.account) ?? "";
    const role = str(b.role) ?? "";
    if (isElsewhere(account)) {
      const member = await services.communityMembers.invite(c.get("person"), c.req.param("handle"), account, role);
      return c.json({ id: member.id, account: member.target, role: member.role, state: member.state }, 202);
    }
    const done = await services.actors.manageMembership(c.get("person"), c.req.param("handle"), account, role, "new");
    return c.json({ account: done.person.handle, role, state: "active" }, 201);
  });

  app.post("/replies", async (c) => {
    const b = await body(c);
    const post = await services.interactions.reply(c.get("person"), str(b.inReplyTo) ?? "", str(b.body) ?? "");
    return c.json({ id: post.id, url: absoluteUrl(config.origin, notePath(post.id)), inReplyTo: post.inReplyTo }, 201);
  });

  for (const [path, kind] of [
    ["likes", "like"],
    ["boosts", "announce"],
  ] as const) {
    app.post(`/${path}`, async (c) => {
      const b = await body(c);
      const id = await services.interactions.react(c.get("person"), str(b.object) ?? "", kind);
      return c.json({ id, object: b.object }, 202);
    });
  }

  /** Your profile as other servers see it (the picture is set on the web page, with its description). */
  const profileView = (actor: Actor) => ({
    handle: actor.handle,
    displayName: actor.displayName,
    jobTitle: actor.jobTitle,
    bio: actor.summary,
    links: actor.profileLinks,
    avatar: actor.avatarUrl ? absoluteUrl(config.origin, actor.avatarUrl) : null,
    avatarAlt: actor.avatarAlt,
  });

  app.get("/profile", (c) => c.json(profileView(c.get("person"))));

  /** Changes what is given, keeps the rest; followers get an Update. */
  app.patch("/profile", async (c) => {
    const b = await body(c);
    const person = c.get("person");
    const links = Array.isArray(b.links)
      ? b.links.map((l) => ({ name: str((l as Record<string, unknown>)?.name) ?? "", url: str((l as Record<string, unknown>)?.url) ?? "" }))
      : person.profileLinks;
    const saved = await services.profiles.editPerson(person, {
      displayName: str(b.displayName) ?? person.displayName,
      jobTitle: b.jobTitle === null ? "" : (str(b.jobTitle) ?? person.jobTitle ?? ""),
      summary: str(b.bio) ?? person.summary,
      links,
      avatarAlt: person.avatarAlt,
    });
    return c.json(profileView(saved));
  });

  /** A record's replies and what became of each. */
  const outcomesOf = async (id: string) => {
    const decision = await services.decisions.get(id);
    if (!decision || decision.post.state !== "published") throw notFound("There is no such decision record.");
    const replies = await services.outcomes.input(decision);
    return replies.map((r) => ({
      reply: r.uri,
      url: r.url,
      author: r.author ? { uri: r.author.uri, handle: r.author.handle, name: r.author.name } : null,
      publishedAt: r.publishedAt.toISOString(),
      duringConsultation: r.duringConsultation,
      outcome: r.outcome?.kind ?? null,
      note: r.outcome?.kind ? r.outcome.note : null,
      referral: r.outcome?.kind === "referred" ? r.outcome.referral : null,
    }));
  };

  app.get("/decisions/:id/outcomes", async (c) => c.json(await outcomesOf(c.req.param("id"))));

  /** One outcome for one or several of a record's replies; its authors are answered as from the record's page. */
  app.post("/decisions/:id/outcomes", async (c) => {
    const b = await body(c);
    const replies = Array.isArray(b.replies) ? b.replies.map(String) : typeof b.replies === "string" ? [b.replies] : [];
    await services.outcomes.set(c.req.param("id"), c.get("person"), {
      replies,
      kind: str(b.outcome) ?? "",
      note: str(b.note),
      referTo: str(b.referTo),
    });
    return c.json(await outcomesOf(c.req.param("id")));
  });

  app.get("/timeline", async (c) => {
    const posts = await services.interactions.timeline(c.get("person"));
    return c.json(
      posts.map((p) => ({
        uri: p.uri,
        type: p.type,
        name: p.name,
        summary: p.summary,
        content: p.contentHtml,
        url: p.url,
        author: p.author ? { uri: p.author.uri, handle: p.author.handle, name: p.author.name } : null,
        announcedBy: p.announcedBy,
        publishedAt: p.publishedAt.toISOString(),
        updatedAt: p.updatedAt?.toISOString() ?? null,
      })),
    );
  });

  return app;
}
