import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "correct horse battery";
const EVIL = { origin: "https://evil.example" };

describe("instance administration", () => {
  let instance: RunningInstance;
  let admin: WebClient;
  let bob: WebClient;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    const { actors } = instance.services;
    await actors.createPerson({ handle: "ada", displayName: "Ada Admin", password: PASSWORD, jobTitle: "Head of digital" });
    await actors.makeAdmin("ada");
    await actors.createPerson({ handle: "bob", displayName: "Bob Builder", password: PASSWORD, jobTitle: "Data scientist" });
    await actors.createCommunity({ handle: "team", name: "The Team", purpose: "Working in the open." });
    admin = new WebClient(instance, instance.origin);
    await admin.signIn("ada", PASSWORD);
  });
  afterAll(async () => {
    await instance?.stop();
  });

  /** Each test starts with bob active and signed in. */
  beforeEach(async () => {
    const ada = (await instance.services.actors.find("ada"))!;
    if ((await instance.services.actors.find("bob"))!.deactivatedAt) await instance.services.actors.reactivate(ada, "bob");
    bob = new WebClient(instance, instance.origin);
    await bob.signIn("bob", PASSWORD);
  });

  const isActive = async (handle: string) => (await instance.services.actors.find(handle))!.deactivatedAt === null;
  const pending = async () => instance.services.invitations.pending((await instance.services.actors.find("ada"))!);

  describe("who may use it", () => {
    it("sends signed-out visitors to sign in, and back afterwards", async () => {
      const visitor = new WebClient(instance, instance.origin);
      const res = await visitor.get("/admin");
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/sign-in?next=/admin");
      const confirm = await visitor.get("/admin/people/bob/deactivate");
      expect(confirm.headers.get("location")).toBe("/sign-in?next=/admin/people/bob/deactivate");

      await visitor.get("/sign-in?next=/admin");
      const signIn = await visitor.post("/sign-in", { handle: "ada", password: PASSWORD, next: "/admin" });
      expect(signIn.headers.get("location")).toBe("/admin");
      expect((await visitor.get("/admin")).status).toBe(200);
    });

    it("sends a signed-out post to sign in, changing nothing", async () => {
      const visitor = new WebClient(instance, instance.origin);
      await visitor.get("/sign-in");
      const res = await visitor.post("/admin/people/bob/deactivate", {});
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/sign-in?next=/admin");
      expect(await isActive("bob")).toBe(true);
    });

    it("refuses people who are not administrators (403), changing nothing", async () => {
      expect((await bob.get("/admin")).status).toBe(403);
      expect(bob.lastHtml).toContain("You cannot do that");
      expect((await bob.get("/admin/people/ada/deactivate")).status).toBe(403);
      await bob.get("/");
      expect((await bob.post("/admin/people/ada/deactivate", {})).status).toBe(403);
      expect(await isActive("ada")).toBe(true);
      const before = (await pending()).length;
      expect((await bob.post("/admin/invitations", { note: "my friend" })).status).toBe(403);
      expect(await pending()).toHaveLength(before);
    });

    it("does not show the Administration link to people who are not administrators", async () => {
      await bob.get("/");
      expect(bob.lastHtml).not.toContain('href="/admin"');
      await admin.get("/");
      expect(admin.lastHtml).toContain('href="/admin"');
    });
  });

  describe("people", () => {
    it("lists people with their handle, job title, role and status, and communities", async () => {
      const res = await admin.get("/admin");
      expect(res.status).toBe(200);
      const page = admin.lastHtml;
      expect(page).toContain("<h1>Administration</h1>");
      const bobRow = rowOf(page, "@bob");
      expect(bobRow).toContain('<a href="/@bob">Bob Builder</a>');
      expect(bobRow).toContain("Data scientist");
      expect(bobRow).toMatch(/<td>No<\/td><td>Active<\/td>/);
      expect(bobRow).toContain('href="/admin/people/bob/deactivate"');
      const adaRow = rowOf(page, "@ada");
      expect(adaRow).toMatch(/<td>Yes<\/td><td>Active<\/td>/);
      expect(adaRow).toContain("This is you");
      expect(adaRow).not.toContain("/deactivate");
      expect(page).toContain('<a href="/@team">The Team</a>');
      expect(page).not.toContain("First steps");
    });

    it("asks before deactivating", async () => {
      const res = await admin.get("/admin/people/bob/deactivate");
      expect(res.status).toBe(200);
      expect(admin.lastHtml).toContain("<h1>Deactivate Bob Builder?</h1>");
      expect(admin.lastHtml).toContain("They will be signed out and cannot sign in; their weeknotes stay.");
      expect(admin.lastHtml).toContain('<form method="post" action="/admin/people/bob/deactivate">');
      expect(await isActive("bob")).toBe(true);
    });

    it("refuses a forged deactivation and changes nothing", async () => {
      await admin.get("/admin/people/bob/deactivate");
      expect((await admin.post("/admin/people/bob/deactivate", { _csrf: "forged" })).status).toBe(403);
      expect((await admin.post("/admin/people/bob/deactivate", {}, EVIL)).status).toBe(403);
      expect(await isActive("bob")).toBe(true);
    });

    it("deactivates: the person is signed out, cannot sign in, and shows as deactivated", async () => {
      await admin.get("/admin/people/bob/deactivate");
      const res = await admin.post("/admin/people/bob/deactivate", {});
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/admin?deactivated=bob");
      expect(await isActive("bob")).toBe(false);

      await admin.get("/admin?deactivated=bob");
      expect(admin.lastHtml).toContain("Bob Builder has been deactivated");
      const row = rowOf(admin.lastHtml, "@bob");
      expect(row).toContain("Deactivated");
      expect(row).not.toContain('href="/@bob"');
      expect(row).toContain('action="/admin/people/bob/reactivate"');

      await bob.get("/");
      expect(bob.lastHtml).not.toContain('action="/sign-out"');
      const again = new WebClient(instance, instance.origin);
      await again.get("/sign-in");
      expect((await again.post("/sign-in", { handle: "bob", password: PASSWORD })).status).toBe(401);

      // Their page says they are gone, rather than that they never were.
      const profile = await again.get("/@bob");
      expect(profile.status).toBe(410);
      expect(again.lastHtml).toContain("Bob Builder&#39;s account is no longer active here.");
    });

    it("reactivates: the person can sign in again", async () => {
      const ada = (await instance.services.actors.find("ada"))!;
      await instance.services.actors.deactivate(ada, "bob");
      await admin.get("/admin");
      const res = await admin.post("/admin/people/bob/reactivate", {});
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/admin?reactivated=bob");
      expect(await isActive("bob")).toBe(true);
      await admin.get("/admin?reactivated=bob");
      expect(admin.lastHtml).toContain("Bob Builder has been reactivated");
      await new WebClient(instance, instance.origin).signIn("bob", PASSWORD);
    });

    it("answers 404 for someone who does not exist", async () => {
      expect((await admin.get("/admin/people/nobody/deactivate")).status).toBe(404);
      await admin.get("/admin");
      expect((await admin.post("/admin/people/nobody/deactivate", {})).status).toBe(404);
      expect((await admin.post("/admin/people/team/deactivate", {})).status).toBe(404);
      expect(await isActive("team")).toBe(true);
    });

    it("does not let administrators deactivate themselves", async () => {
      expect((await admin.get("/admin/people/ada/deactivate")).status).toBe(403);
      await admin.get("/admin");
      expect((await admin.post("/admin/people/ada/deactivate", {})).status).toBe(400);
      expect(admin.lastHtml).toContain("You cannot deactivate yourself.");
      expect(await isActive("ada")).toBe(true);
    });
  });

  describe("invitations", () => {
    it("shows a new invitation's link once, with a copy button, and lists it as pending", async () => {
      await admin.get("/admin");
      expect(admin.lastHtml).toContain("Invite someone");
      const res = await admin.post("/admin/invitations", { note: "Cy, data team" });
      expect(res.status).toBe(200);
      const page = admin.lastHtml;
      const link = new RegExp(`value="(${instance.origin}/invitations/[A-Za-z0-9_-]+)"`).exec(page)?.[1];
      expect(link).toBeDefined();
      expect(page).toContain(`data-copy="${link}"`);
      expect(page).toMatch(/<button[^>]*data-copy[^>]*hidden/);
      expect(page).toContain("It works once, within 7 days");

      const secret = link!.split("/").pop()!;
      await admin.get("/admin");
      expect(admin.lastHtml).not.toContain(secret);
      expect(rowOf(admin.lastHtml, "Cy, data team")).toContain("Ada Admin");

      const invited = new WebClient(instance, instance.origin);
      expect((await invited.get(new URL(link!).pathname)).status).toBe(200);
      expect(invited.lastHtml).toContain("Ada Admin invited you");
    });

    it("shows the form again for a note that is too long, keeping the text and creating nothing", async () => {
      const before = (await pending()).length;
      await admin.get("/admin");
      const note = "x".repeat(201);
      const res = await admin.post("/admin/invitations", { note });
      expect(res.status).toBe(400);
      expect(admin.lastHtml).toMatch(/id="note-error"[^>]*>.*At most 200 characters/);
      expect(admin.lastHtml).toContain(`value="${note}"`);
      expect(await pending()).toHaveLength(before);
    });

    it("cancels a pending invitation, after which its link no longer works", async () => {
      await admin.get("/admin");
      await admin.post("/admin/invitations", { note: "Dee, to cancel" });
      const link = new RegExp(`value="(${instance.origin}/invitations/[A-Za-z0-9_-]+)"`).exec(admin.lastHtml)![1]!;
      await admin.get("/admin");
      const action = /action="(\/admin\/invitations\/[0-9a-f]+\/cancel)"/.exec(rowOf(admin.lastHtml, "Dee, to cancel"))![1]!;
      const res = await admin.post(action, {});
      expect(res.status).toBe(303);
      await admin.get(res.headers.get("location")!);
      expect(admin.lastHtml).toContain("The invitation has been cancelled");
      expect(admin.lastHtml).not.toContain("Dee, to cancel");
      expect((await new WebClient(instance, instance.origin).get(new URL(link).pathname)).status).toBe(404);
      // Cancelling again finds nothing to cancel.
      await admin.get("/admin");
      expect((await admin.post(action, {})).status).toBe(404);
    });

    it("refuses a forged invitation request and creates nothing", async () => {
      const before = (await pending()).length;
      await admin.get("/admin");
      expect((await admin.post("/admin/invitations", { note: "forged", _csrf: "forged" })).status).toBe(403);
      expect((await admin.post("/admin/invitations", { note: "forged" }, EVIL)).status).toBe(403);
      expect(await pending()).toHaveLength(before);
    });
  });
});

/** The table row containing some text. */
function rowOf(page: string, text: string): string {
  const row = page
    .split("<tr>")
    .slice(1)
    .find((r) => r.includes(text));
  if (!row) throw new Error(`no row with ${text}`);
  return row.split("</tr>")[0]!;
}
