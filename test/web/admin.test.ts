import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { page } from "../helpers/html.ts";
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
      expect(page(bob.lastHtml).text()).toContain("You cannot do that");
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
      expect(page(bob.lastHtml).count('a[href="/admin"]')).toBe(0);
      await admin.get("/");
      expect(page(admin.lastHtml).count('a[href="/admin"]')).toBeGreaterThan(0);
    });
  });

  describe("people", () => {
    it("lists people with their handle, job title, role and status, and communities", async () => {
      const res = await admin.get("/admin");
      expect(res.status).toBe(200);
      const administration = page(admin.lastHtml);
      expect(administration.text("h1")).toBe("Administration");
      const bobRow = administration.within("tr", "@bob");
      expect(bobRow.text('a[href="/@bob"]')).toBe("Bob Builder");
      // Name, job title, administrator, status.
      expect(bobRow.texts("td").slice(1, 4)).toEqual(["Data scientist", "No", "Active"]);
      expect(bobRow.count('a[href="/admin/people/bob/deactivate"]')).toBe(1);
      const adaRow = administration.within("tr", "@ada");
      expect(adaRow.texts("td").slice(2, 4)).toEqual(["Yes", "Active"]);
      expect(adaRow.text()).toContain("This is you");
      expect(adaRow.count('[href*="/deactivate"], [action*="/deactivate"]')).toBe(0);
      expect(administration.text('a[href="/@team"]')).toBe("The Team");
      expect(administration.text()).not.toContain("First steps");
    });

    it("asks before deactivating", async () => {
      const res = await admin.get("/admin/people/bob/deactivate");
      expect(res.status).toBe(200);
      const confirm = page(admin.lastHtml);
      expect(confirm.text("h1")).toBe("Deactivate Bob Builder?");
      expect(confirm.text()).toContain("They will be signed out and cannot sign in; their weeknotes stay.");
      expect(confirm.attr('form[action="/admin/people/bob/deactivate"]', "method")).toBe("post");
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
      const administration = page(admin.lastHtml);
      expect(administration.text(".notice")).toContain("Bob Builder has been deactivated");
      const row = administration.within("tr", "@bob");
      expect(row.texts("td")[3]).toBe("Deactivated");
      expect(row.count('a[href="/@bob"]')).toBe(0);
      expect(row.count('form[action="/admin/people/bob/reactivate"]')).toBe(1);

      await bob.get("/");
      expect(page(bob.lastHtml).count('[action="/sign-out"]')).toBe(0);
      const again = new WebClient(instance, instance.origin);
      await again.get("/sign-in");
      expect((await again.post("/sign-in", { handle: "bob", password: PASSWORD })).status).toBe(401);

      // Their page says they are gone, rather than that they never were.
      const profile = await again.get("/@bob");
      expect(profile.status).toBe(410);
      expect(page(again.lastHtml).text()).toContain("Bob Builder's account is no longer active here.");
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
      expect(page(admin.lastHtml).text(".notice")).toContain("Bob Builder has been reactivated");
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
      expect(page(admin.lastHtml).text()).toContain("You cannot deactivate yourself.");
      expect(await isActive("ada")).toBe(true);
    });
  });

  describe("invitations", () => {
    it("shows a new invitation's link once, with a copy button, and lists it as pending", async () => {
      await admin.get("/admin");
      expect(page(admin.lastHtml).text("#invite-title")).toBe("Invite someone");
      const res = await admin.post("/admin/invitations", { note: "Cy, data team" });
      expect(res.status).toBe(200);
      const shown = page(admin.lastHtml);
      const link = shown.value("input#invitation-link");
      expect(link).toMatch(new RegExp(`^${instance.origin}/invitations/[A-Za-z0-9_-]+$`));
      // The copy button is shown by the script, where scripts run.
      expect(shown.attrs("button[data-copy][hidden]", "data-copy")).toEqual([link]);
      expect(shown.text()).toContain("It works once, within 7 days");

      const secret = link!.split("/").pop()!;
      await admin.get("/admin");
      expect(admin.lastHtml).not.toContain(secret);
      expect(page(admin.lastHtml).within("tr", "Cy, data team").texts("td")[1]).toBe("Ada Admin");

      const invited = new WebClient(instance, instance.origin);
      expect((await invited.get(new URL(link!).pathname)).status).toBe(200);
      expect(page(invited.lastHtml).text()).toContain("Ada Admin invited you");
    });

    it("shows the form again for a note that is too long, keeping the text and creating nothing", async () => {
      const before = (await pending()).length;
      await admin.get("/admin");
      const note = "x".repeat(201);
      const res = await admin.post("/admin/invitations", { note });
      expect(res.status).toBe(400);
      const form = page(admin.lastHtml);
      expect(form.text("#note-error")).toContain("At most 200 characters");
      expect(form.value('input[name="note"]')).toBe(note);
      expect(await pending()).toHaveLength(before);
    });

    it("cancels a pending invitation, after which its link no longer works", async () => {
      await admin.get("/admin");
      await admin.post("/admin/invitations", { note: "Dee, to cancel" });
      const link = page(admin.lastHtml).value("input#invitation-link");
      await admin.get("/admin");
      const action = page(admin.lastHtml).within("tr", "Dee, to cancel").attr("form", "action")!;
      expect(action).toMatch(/^\/admin\/invitations\/[0-9a-f]+\/cancel$/);
      const res = await admin.post(action, {});
      expect(res.status).toBe(303);
      await admin.get(res.headers.get("location")!);
      const administration = page(admin.lastHtml);
      expect(administration.text(".notice")).toContain("The invitation has been cancelled");
      expect(administration.text()).not.toContain("Dee, to cancel");
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
