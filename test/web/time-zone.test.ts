import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../helpers/database.ts";
import { page } from "../helpers/html.ts";
import { WebClient } from "../helpers/web-client.ts";
import { decisionInstance, formFields, RECORD } from "./decision-form-helpers.ts";

const PASSWORD = "correct horse battery";

describe("the instance's time zone, decision drafts and what forms confirm", () => {
  let t: Awaited<ReturnType<typeof decisionInstance>>;
  let admin: WebClient;

  beforeAll(async () => {
    t = await decisionInstance();
    const { actors } = t.instance.services;
    await actors.createPerson({ handle: "ada", displayName: "Ada Admin", password: PASSWORD });
    await actors.makeAdmin("ada");
    admin = new WebClient(t.instance, t.instance.origin);
    await admin.signIn("ada", PASSWORD);
  });
  afterAll(async () => {
    await t?.instance.stop();
  });

  /** The events recorded for a post, to send to other servers. */
  const events = async (postId: string) =>
    (await queryRows<{ payload: string }>(t.instance.database, "SELECT payload FROM queue_messages WHERE queue = 'events' ORDER BY id"))
      .map((r) => JSON.parse(r.payload) as { type: string; postId?: string })
      .filter((e) => e.postId === postId)
      .map((e) => e.type);

  const setZone = (zone: string, client = admin, headers: Record<string, string> = {}) =>
    client.post("/admin/time-zone", { timeZone: zone }, headers);

  describe("the setting", () => {
    it("is Europe/London until an administrator chooses another, from the list", async () => {
      await admin.get("/admin");
      const form = page(admin.lastHtml);
      expect(form.text("h2#time-zone-title")).toBe("Time zone");
      expect(form.value("select#timeZone")).toBe("Europe/London");

      const res = await setZone("Europe/Paris");
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/admin?saved=time-zone");
      await admin.get("/admin?saved=time-zone");
      expect(page(admin.lastHtml).text()).toContain("Times are now shown and entered in Europe/Paris time.");
      expect(await t.instance.services.settings.timeZone()).toBe("Europe/Paris");
      await setZone("Europe/London");
    });

    it("refuses a zone that is not one, saying so next to the field", async () => {
      const res = await setZone("Middle/Earth");
      expect(res.status).toBe(400);
      const shown = page(admin.lastHtml);
      expect(shown.text('.error-summary a[href="#timeZone"]')).toBe("Time zone: choose a time zone from the list, such as Europe/London");
      expect(shown.count("#timeZone-error")).toBe(1);
      expect(await t.instance.services.settings.timeZone()).toBe("Europe/London");
    });

    it("is for administrators only, and only from this site's forms", async () => {
      const member = await setZone("Asia/Tokyo", t.as("alice"));
      expect(member.status).toBe(403);
      const forged = await setZone("Asia/Tokyo", admin, { origin: "https://evil.example" });
      expect(forged.status).toBe(403);
      expect(await t.instance.services.settings.timeZone()).toBe("Europe/London");
    });
  });

  describe("times shown and entered", () => {
    it("shows a closing time in London's winter as GMT and in its summer as BST, keeping UTC in the markup", async () => {
      const { post } = await t.propose("Winter and summer");
      const alice = t.alice;
      await t.instance.services.decisions.open(post.id, alice, { closesAt: new Date("2027-01-15T17:00:00Z") });
      await t.as("mona").get(`/decisions/${post.id}`);
      let shown = page(t.as("mona").lastHtml);
      expect(shown.text()).toContain("15 January 2027 at 17:00 GMT");
      expect(shown.count('time[datetime="2027-01-15T17:00:00.000Z"]')).toBeGreaterThan(0);

      await t.instance.services.decisions.close(post.id, alice, { reason: "Moved." });
      const { post: summer } = await t.propose("Summer");
      await t.instance.services.decisions.open(summer.id, alice, { closesAt: new Date("2027-07-15T17:00:00Z") });
      await t.as("mona").get(`/decisions/${summer.id}`);
      shown = page(t.as("mona").lastHtml);
      expect(shown.text()).toContain("15 July 2027 at 18:00 BST");
      // What other servers read says the zone too: their readers are not here.
      expect((await t.instance.services.decisions.get(summer.id))!.post.summary).toContain("15 July 2027 at 18:00 BST");
    });

    it("reads a closing time typed day first in the instance's zone and stores it in UTC", async () => {
      const { post } = await t.propose("Closing in summer");
      const form = await t.as("alice").get(`/decisions/${post.id}/open`);
      expect(page(await form.text()).text('label[for="closesAt"]')).toBe("Comments close (Europe/London time)");
      const res = await t.as("alice").post(`/decisions/${post.id}/open`, { closesAt: "5/7/2027 18:00" });
      expect(res.status).toBe(303);
      expect((await t.instance.services.decisions.get(post.id))!.consultationClosesAt?.toISOString()).toBe("2027-07-05T17:00:00.000Z");

      const { post: winter } = await t.propose("Closing in winter");
      await t.as("alice").get(`/decisions/${winter.id}/open`);
      await t.as("alice").post(`/decisions/${winter.id}/open`, { closesAt: "05-02-2027 17:00" });
      expect((await t.instance.services.decisions.get(winter.id))!.consultationClosesAt?.toISOString()).toBe("2027-02-05T17:00:00.000Z");
    });

    it("shows an entered closing time that is not one again, saying how to type it", async () => {
      const { post } = await t.propose("Badly typed");
      await t.as("alice").get(`/decisions/${post.id}/open`);
      const res = await t.as("alice").post(`/decisions/${post.id}/open`, { closesAt: "31/02/2030 17:00" });
      expect(res.status).toBe(400);
      const shown = page(t.as("alice").lastHtml);
      expect(shown.text("#closesAt-error")).toContain("like 05/12/2026 17:00");
      expect(shown.value("input#closesAt")).toBe("31/02/2030 17:00");
    });

    it("takes the register's dates day first and shows them so", async () => {
      const res = await t.as("mona").get(`/decisions?from=1.1.2026&to=31/12/${new Date(t.now()).getUTCFullYear() + 1}`);
      expect(res.status).toBe(200);
      const shown = page(t.as("mona").lastHtml);
      expect(shown.value('input[name="from"]')).toBe("01/01/2026");
      expect(shown.one('input[name="from"]').getAttribute("type")).toBe("text");
      expect(shown.texts("h2, h3").join(" ")).toContain("Winter and summer");
    });
  });

  describe("decision drafts", () => {
    it("saves a draft only its author sees, then proposes it, public from then on", async () => {
      const alice = t.as("alice");
      await alice.get("/decisions/new");
      const res = await alice.post("/decisions/new", {
        ...formFields(alice.lastHtml),
        question: RECORD.question,
        context: RECORD.context,
        title: "A quiet draft",
        community: "team",
        action: "draft",
      });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/drafts?done=saved-decision");
      await alice.get("/drafts?done=saved-decision");
      const drafts = page(alice.lastHtml);
      expect(drafts.text()).toContain("Your draft decision record is saved.");
      expect(drafts.texts("h2")).toContain("A quiet draft");
      const editHref = drafts
        .all("a")
        .map((a) => a.getAttribute("href") ?? "")
        .find((h) => h.endsWith("/draft"))!;
      const id = editHref.split("/")[2]!;
      const stored = (await t.instance.services.decisions.get(id))!;
      expect(stored.post.state).toBe("draft");
      expect(stored.post.publishedAt).toBeNull();
      expect(await t.instance.services.decisions.history(id)).toEqual([]);
      expect(await events(id)).toEqual([]);

      // Seen by no one else, nor in the register.
      expect((await t.as("mona").get(`/decisions/${id}`)).status).toBe(404);
      expect((await t.as("mona").get(`/decisions/${id}/draft`)).status).toBe(404);
      await t.as("mona").get("/decisions");
      expect(t.as("mona").lastHtml).not.toContain("A quiet draft");

      // Edited and saved again, still a draft.
      await alice.get(editHref);
      const again = await alice.post(editHref, { ...formFields(alice.lastHtml), title: "A quiet draft, edited", action: "draft" });
      expect(again.headers.get("location")).toBe("/drafts?done=saved-decision");
      expect((await t.instance.services.decisions.get(id))!.post.state).toBe("draft");
      expect(await events(id)).toEqual([]);

      // Proposed: published, with its first history entry, and the page says so.
      await alice.get(editHref);
      const proposed = await alice.post(editHref, { ...formFields(alice.lastHtml), action: "propose" });
      expect(proposed.headers.get("location")).toBe(`/decisions/${id}?done=proposed`);
      const published = (await t.instance.services.decisions.get(id))!;
      expect(published.post.state).toBe("published");
      expect(published.post.title).toBe("A quiet draft, edited");
      expect((await t.instance.services.decisions.history(id)).map((h) => h.action)).toEqual(["proposed"]);
      expect(await events(id)).toEqual(["post.published"]);
      expect((await t.as("mona").get(`/decisions/${id}`)).status).toBe(200);
    });

    it("deletes a draft after asking, and says so", async () => {
      const draft = await t.instance.services.decisions.propose("team", t.alice, { ...RECORD, title: "Thrown away" }, { draft: true });
      const alice = t.as("alice");
      await alice.get(`/decisions/${draft.post.id}/draft/delete`);
      expect(page(alice.lastHtml).text("h1")).toBe("Delete ‘Thrown away’?");
      const res = await alice.post(`/decisions/${draft.post.id}/draft/delete`, {});
      expect(res.headers.get("location")).toBe("/drafts?done=deleted");
      await alice.get("/drafts?done=deleted");
      expect(page(alice.lastHtml).text()).toContain("The draft is deleted.");
      expect((await t.instance.services.decisions.get(draft.post.id))!.post.state).toBe("deleted");
    });
  });

  describe("the icon", () => {
    it("is an SVG linked from every page, and /favicon.ico leads to it", async () => {
      await admin.get("/");
      expect(page(admin.lastHtml).one('link[rel="icon"]').getAttribute("href")).toBe("/static/favicon.svg");
      const icon = await admin.get("/static/favicon.svg");
      expect(icon.headers.get("content-type")).toBe("image/svg+xml");
      const ico = await admin.get("/favicon.ico");
      expect(ico.status).toBe(301);
      expect(ico.headers.get("location")).toBe("/static/favicon.svg");
    });
  });
});
