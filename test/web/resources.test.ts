import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

/** A value for each kind of parameter in the app's paths. */
const SAMPLES: Record<string, string> = {
  handle: "@team",
  person: "alice",
  id: "00000000-0000-4000-8000-000000000000",
};

/** A path the route's pattern matches. */
const pathFor = (pattern: string) => pattern.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => SAMPLES[name] ?? "x");

/**
 * Each resource puts the middleware for people before its pages itself, so
 * a resource that forgot it would take forms without their anti-forgery
 * token: every form of every resource is checked here, through the app's own
 * table of routes.
 */
describe("the resources of the web app", () => {
  let instance: RunningInstance;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    await seedCommunity(instance, { person: "alice", community: "team" });
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it("refuse every form posted without its anti-forgery token", async () => {
    const forms = instance.app.routes.filter((r) => r.method === "POST" && !r.path.startsWith("/api/")).map((r) => pathFor(r.path));
    expect(forms.length).toBeGreaterThan(20);
    for (const path of new Set(forms)) {
      const res = await instance.app.request(`${instance.origin}${path}`, {
        method: "POST",
        body: new URLSearchParams({ _csrf: "forged" }),
        headers: { origin: instance.origin },
      });
      expect(res.status, path).toBe(403);
      expect(page(await res.text()).text(), path).toContain("nothing was changed");
    }
  });

  it("answer feed readers and servers without a session or a cookie", async () => {
    for (const path of ["/feed.atom", "/@team/feed.atom", "/decisions/feed.atom", "/@team/decisions/feed.atom", "/ns/connexo"]) {
      const res = await instance.app.request(`${instance.origin}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.getSetCookie(), path).toEqual([]);
    }
  });

  it("give pages, and the 404 page of an address no resource answers, who is signed in and a form token", async () => {
    for (const path of ["/", "/@team", "/decisions", "/sign-in", "/nothing/here", "/@team/nothing", "/posts/x/nothing"]) {
      const res = await instance.app.request(`${instance.origin}${path}`);
      expect(res.headers.getSetCookie().join(";"), path).toMatch(/connexo_csrf/);
      expect(res.headers.getSetCookie(), path).toHaveLength(1);
    }
  });
});
