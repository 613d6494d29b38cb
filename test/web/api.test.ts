import { queryRows } from "../helpers/database.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

/**
 * The JSON API, called in-process through app.request(). The queue worker is
 * off, so the events a change records stay in queue_messages to be looked at.
 */
describe("JSON API", () => {
  let instance: RunningInstance;
  const tokens: Record<string, string> = {};

  const call = (token: string | null, method: string, path: string, body?: unknown, raw?: string) =>
    instance.app.request(`${instance.origin}/api/v1${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json" },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
  const events = async (postId: string) =>
    (await queryRows<{ payload: string }>(instance.database, "SELECT payload FROM queue_messages WHERE queue = 'events' ORDER BY id"))
      .map((r) => JSON.parse(r.payload) as { type: string; postId?: string })
      .filter((e) => e.postId === postId)
      .map((e) => e.type);
  const weeknote = {
    community: "team",
    title: "Week 48: the consultation opens",
    summary: "We opened the consultation.",
    body: "We **opened** it.",
    tags: ["consultation", "#OpenWork"],
  };

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    tokens.alice = (await seedCommunity(instance, { person: "alice", community: "team" })).token;
    const { actors, tokens: tokenService } = instance.services;
    for (const [handle, role] of [
      ["bob", "member"],
      ["carol", "observer"],
      ["dave", null],
      ["erin", "member"],
    ] as const) {
      await actors.createPerson({ handle, displayName: `${handle} Example`, password: "a long enough password" });
      if (role) await actors.addMember("team", handle, role);
      tokens[handle] = await tokenService.issue(handle);
    }
  });
  afterAll(async () => {
    await instance?.stop();
  });

  describe("authentication", () => {
    it.each([
      ["no token", null],
      ["an unknown token", "cnx_not-a-real-token"],
      ["a token without the prefix", "garbage"],
    ])("answers 401 with WWW-Authenticate for %s", async (_what, token) => {
      const res = await call(token, "GET", "/timeline");
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="connexo"');
      expect(await res.json()).toMatchObject({ error: "A valid bearer token is required." });
    });

    it("answers 401 for a non-Bearer scheme", async () => {
      const res = await instance.app.request(`${instance.origin}/api/v1/timeline`, { headers: { authorization: `Basic ${tokens.alice}` } });
      expect(res.status).toBe(401);
    });

    it("accepts a valid token", async () => {
      const res = await call(tokens.alice!, "GET", "/timeline");
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([]);
    });
  });

  describe("publishing", () => {
    it("answers 400 naming the missing fields", async () => {
      const res = await call(tokens.alice!, "POST", "/weeknotes", { community: "team", body: "Only a body." });
      expect(res.status).toBe(400);
      const json = (await res.json()) as { error: string; fields: Record<string, string> };
      expect(json.fields.title).toBe("required");
      expect(json.fields.summary).toMatch(/^required/);
      expect(json.fields.body).toBeUndefined();
      expect(json.error).toMatch(/title required/);
    });

    it("answers 400 without a community, and for a bad week or tag", async () => {
      const noCommunity = await call(tokens.alice!, "POST", "/weeknotes", { ...weeknote, community: undefined });
      expect(noCommunity.status).toBe(400);
      expect(((await noCommunity.json()) as { fields: object }).fields).toEqual({ community: "required" });
      const badWeek = await call(tokens.alice!, "POST", "/weeknotes", { ...weeknote, week: "2026-W54" });
      expect(badWeek.status).toBe(400);
      expect(((await badWeek.json()) as { fields: object }).fields).toEqual({ week: "use the form 2026-W48" });
      const badTag = await call(tokens.alice!, "POST", "/weeknotes", { ...weeknote, tags: ["no-dashes"] });
      expect(badTag.status).toBe(400);
    });

    it("answers 400 for a body that is not a JSON object", async () => {
      for (const raw of ["{not json", "[1,2]", "null", '"text"']) {
        const res = await call(tokens.alice!, "POST", "/weeknotes", undefined, raw);
        expect(res.status, raw).toBe(400);
        expect(await res.json()).toMatchObject({ error: "The body must be a JSON object." });
      }
    });

    it("answers 404 for an unknown community", async () => {
      const res = await call(tokens.alice!, "POST", "/weeknotes", { ...weeknote, community: "nowhere" });
      expect(res.status).toBe(404);
    });

    it.each(["carol", "dave"])("answers 403 when %s (observer, or not a member) publishes", async (who) => {
      const res = await call(tokens[who]!, "POST", "/weeknotes", weeknote);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toBe(`@${who} may not publish in @team.`);
      const [count] = await queryRows<{ n: number }>(instance.database, "SELECT count(*) AS n FROM posts WHERE title = ?", [
        weeknote.title,
      ]);
      expect(count!.n).toBe(0);
    });

    it("publishes: 201 with id and url, readable back, and a post.published event", async () => {
      const res = await call(tokens.bob!, "POST", "/weeknotes", { ...weeknote, week: "2026-W48" });
      expect(res.status).toBe(201);
      const post = (await res.json()) as Record<string, unknown>;
      expect(post).toMatchObject({
        state: "published",
        title: weeknote.title,
        summary: weeknote.summary,
        body: weeknote.body,
        tags: ["consultation", "OpenWork"],
        week: "2026-W48",
        updatedAt: null,
      });
      expect(post.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(post.url).toBe(`${instance.origin}/posts/${post.id}`);
      expect(typeof post.publishedAt).toBe("string");

      const read = await call(tokens.dave!, "GET", `/weeknotes/${post.id}`);
      expect(read.status).toBe(200);
      expect(await read.json()).toEqual(post);
      expect(await events(post.id as string)).toEqual(["post.published"]);
    });

    it("saves a draft that only its author sees, then publishes it with PATCH", async () => {
      const res = await call(tokens.bob!, "POST", "/weeknotes", { ...weeknote, draft: true });
      expect(res.status).toBe(201);
      const draft = (await res.json()) as { id: string; state: string; publishedAt: string | null };
      expect(draft.state).toBe("draft");
      expect(draft.publishedAt).toBeNull();
      expect(await events(draft.id)).toEqual([]);
      expect((await call(tokens.dave!, "GET", `/weeknotes/${draft.id}`)).status).toBe(404);
      expect((await call(tokens.bob!, "GET", `/weeknotes/${draft.id}`)).status).toBe(200);

      // Editing a draft without publishing leaves it a draft and tells no one.
      const edited = await call(tokens.bob!, "PATCH", `/weeknotes/${draft.id}`, { title: "Week 48, draft two" });
      expect(edited.status).toBe(200);
      expect(await edited.json()).toMatchObject({ state: "draft", title: "Week 48, draft two", summary: weeknote.summary });
      expect(await events(draft.id)).toEqual([]);

      const published = await call(tokens.bob!, "PATCH", `/weeknotes/${draft.id}`, { publish: true });
      expect(published.status).toBe(200);
      const json = (await published.json()) as { state: string; publishedAt: string | null; title: string };
      expect(json.state).toBe("published");
      expect(json.publishedAt).not.toBeNull();
      expect(json.title).toBe("Week 48, draft two");
      expect(await events(draft.id)).toEqual(["post.published"]);
      expect((await call(tokens.dave!, "GET", `/weeknotes/${draft.id}`)).status).toBe(200);
    });

    it("lets the author and an admin edit, not another member; an edit records post.updated", async () => {
      const { id } = (await (await call(tokens.bob!, "POST", "/weeknotes", weeknote)).json()) as { id: string };
      const byErin = await call(tokens.erin!, "PATCH", `/weeknotes/${id}`, { title: "Hijacked" });
      expect(byErin.status).toBe(403);
      expect((await call(tokens.carol!, "PATCH", `/weeknotes/${id}`, { title: "Hijacked" })).status).toBe(403);
      expect((await call(tokens.erin!, "DELETE", `/weeknotes/${id}`)).status).toBe(403);

      const byAdmin = await call(tokens.alice!, "PATCH", `/weeknotes/${id}`, { summary: "Edited by the admin." });
      expect(byAdmin.status).toBe(200);
      const json = (await byAdmin.json()) as { title: string; summary: string; updatedAt: string | null };
      expect(json.title).toBe(weeknote.title);
      expect(json.summary).toBe("Edited by the admin.");
      expect(json.updatedAt).not.toBeNull();
      expect(await events(id)).toEqual(["post.published", "post.updated"]);
    });

    it("deletes: 204, then 404, and a post.deleted event", async () => {
      const { id } = (await (await call(tokens.bob!, "POST", "/weeknotes", weeknote)).json()) as { id: string };
      const res = await call(tokens.bob!, "DELETE", `/weeknotes/${id}`);
      expect(res.status).toBe(204);
      expect(await res.text()).toBe("");
      expect((await call(tokens.bob!, "GET", `/weeknotes/${id}`)).status).toBe(404);
      expect((await call(tokens.bob!, "PATCH", `/weeknotes/${id}`, { title: "Back" })).status).toBe(404);
      expect((await call(tokens.bob!, "DELETE", `/weeknotes/${id}`)).status).toBe(404);
      expect(await events(id)).toEqual(["post.published", "post.deleted"]);
    });

    it("answers 404 for an unknown weeknote", async () => {
      const res = await call(tokens.alice!, "GET", "/weeknotes/00000000-0000-0000-0000-000000000000");
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: "There is no such weeknote." });
    });
  });

  it("answers JSON 404 for an unknown endpoint", async () => {
    const res = await call(tokens.alice!, "GET", "/nothing-here");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
  });

  it("sends security headers, on API answers and pages alike", async () => {
    for (const res of [
      await call(tokens.alice!, "GET", "/timeline"),
      await call(null, "GET", "/timeline"),
      await instance.app.request(`${instance.origin}/`),
    ]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
    }
  });
});
