import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { page } from "../helpers/html.ts";
import { startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "correct horse battery";
const HEADER = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate";

describe("blocking domains on the web", () => {
  let instance: RunningInstance;
  let admin: WebClient;
  let bob: WebClient;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    const { actors } = instance.services;
    await actors.createPerson({ handle: "ada", displayName: "Ada Admin", password: PASSWORD });
    await actors.makeAdmin("ada");
    await actors.createPerson({ handle: "bob", displayName: "Bob Builder", password: PASSWORD });
    admin = new WebClient(instance, instance.origin);
    await admin.signIn("ada", PASSWORD);
    bob = new WebClient(instance, instance.origin);
    await bob.signIn("bob", PASSWORD);
  });
  afterAll(async () => {
    await instance?.stop();
  });

  beforeEach(async () => {
    for (const block of await instance.services.federationPolicy.blockedDomains()) {
      await instance.services.federationPolicy.unblockDomain("command line", block.domain);
    }
  });

  const blocked = async () => (await instance.services.federationPolicy.blockedDomains()).map((b) => [b.domain, b.reason]);

  it("blocks a domain with a public reason, lists it with an Unblock button, and unblocks it", async () => {
    const form = page(await (await admin.get("/admin/domain-blocks")).text());
    expect(form.attr("label[for=domain]", "for")).toBe("domain");
    expect(form.attr("label[for=reason]", "for")).toBe("reason");
    expect(form.text("form[action='/admin/domain-blocks'] button")).toBe("Block domain");

    const res = await admin.post("/admin/domain-blocks", { domain: "https://Spam.Example/about", reason: "Floods us with spam." });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/domain-blocks?blocked=spam.example&ended=0");
    expect(await blocked()).toEqual([["spam.example", "Floods us with spam."]]);

    const listed = page(await (await admin.get("/admin/domain-blocks?blocked=spam.example&ended=0")).text());
    expect(listed.text("[role=status]")).toContain("spam.example is blocked");
    const row = listed.within("tbody tr", "spam.example");
    expect(row.text()).toContain("Floods us with spam.");
    expect(row.text("button")).toBe("Unblock spam.example");

    const unblocked = await admin.post("/admin/domain-blocks/unblock", { domain: "spam.example" });
    expect(unblocked.status).toBe(303);
    expect(await blocked()).toEqual([]);
    const log = await instance.services.moderation.log((await instance.services.actors.find("ada"))!);
    expect(log.entries.map((e) => [e.action, e.subject, e.reason])).toEqual(
      expect.arrayContaining([
        ["domain.blocked", "spam.example", "Floods us with spam."],
        ["domain.unblocked", "spam.example", ""],
      ]),
    );
  });

  it("shows errors next to the fields, and refuses our own domain", async () => {
    await admin.get("/admin/domain-blocks");
    const bad = await admin.post("/admin/domain-blocks", { domain: "not a domain", reason: "x" });
    expect(bad.status).toBe(400);
    const shown = page(await bad.text());
    expect(shown.text("#domain-error")).toContain("is not a domain");
    expect(shown.attr("#domain", "aria-invalid")).toBe("true");
    expect(shown.value("#reason")).toBe("x");

    const own = await admin.post("/admin/domain-blocks", { domain: new URL(instance.origin).host, reason: "" });
    expect(own.status).toBe(400);
    expect(page(await own.text()).text("#domain-error")).toContain("own domain");

    const long = await admin.post("/admin/domain-blocks", { domain: "long.example", reason: "x".repeat(501) });
    expect(long.status).toBe(400);
    expect(page(await long.text()).text("#reason-error")).toContain("longer than 500");
    expect(await blocked()).toEqual([]);
  });

  it("refuses people who are not administrators, and forms without their token", async () => {
    expect((await bob.get("/admin/domain-blocks")).status).toBe(403);
    await bob.get("/");
    expect((await bob.post("/admin/domain-blocks", { domain: "spam.example", reason: "" })).status).toBe(403);
    expect((await bob.post("/admin/domain-blocks/import", { csv: `${HEADER}\nspam.example,suspend,,,,` })).status).toBe(403);
    expect((await bob.get("/admin/domain-blocks/export.csv")).status).toBe(403);
    const bobActor = (await instance.services.actors.find("bob"))!;
    await expect(instance.services.federationPolicy.blockDomain(bobActor, "spam.example", "")).rejects.toThrow(/administrators/);

    await admin.get("/admin/domain-blocks");
    expect((await admin.post("/admin/domain-blocks", { domain: "spam.example", reason: "", _csrf: "forged" })).status).toBe(403);
    expect((await admin.post("/admin/domain-blocks/import", { csv: `${HEADER}\nspam.example,suspend,,,,`, _csrf: "forged" })).status).toBe(
      403,
    );
    expect(await blocked()).toEqual([]);

    const visitor = new WebClient(instance, instance.origin);
    const res = await visitor.get("/admin/domain-blocks");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/sign-in?next=/admin/domain-blocks");
  });

  it("imports Mastodon's CSV and exports it again, the same", async () => {
    await admin.get("/admin/domain-blocks");
    const csv = [
      HEADER,
      'spam.example,suspend,true,true,"Spam, and more spam",false',
      "quiet.example,silence,false,false,Only silenced,false",
      "nothing.example,noop,false,false,,false",
      'rude.example,suspend,true,false,"Says ""rude"" things",false',
    ].join("\n");
    const res = await admin.post("/admin/domain-blocks/import", { csv });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/domain-blocks?imported=2,0,2");
    expect(page(await (await admin.get(res.headers.get("location")!)).text()).text("[role=status]")).toContain("2 domains blocked");
    expect(await blocked()).toEqual([
      ["rude.example", 'Says "rude" things'],
      ["spam.example", "Spam, and more spam"],
    ]);

    const exported = await admin.get("/admin/domain-blocks/export.csv");
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toMatch(/^text\/csv/);
    const text = await exported.text();
    expect(text.split("\n")[0]).toBe(HEADER);
    expect(text).toContain('spam.example,suspend,true,true,"Spam, and more spam",false');

    // Round trip: the export, imported into a clean slate, gives the same blocks.
    for (const domain of ["rude.example", "spam.example"]) await instance.services.federationPolicy.unblockDomain("command line", domain);
    await admin.get("/admin/domain-blocks");
    expect((await admin.post("/admin/domain-blocks/import", { csv: text })).status).toBe(303);
    expect(await blocked()).toEqual([
      ["rude.example", 'Says "rude" things'],
      ["spam.example", "Spam, and more spam"],
    ]);
  });

  it("imports nothing when a line is wrong, and says which", async () => {
    await admin.get("/admin/domain-blocks");
    const csv = [HEADER, "good.example,suspend,,,Fine,", "not a domain,suspend,,,Bad,", "odd.example,ban,,,,"].join("\n");
    const res = await admin.post("/admin/domain-blocks/import", { csv });
    expect(res.status).toBe(400);
    const shown = page(await res.text());
    expect(shown.text("#csv-error")).toMatch(/line 3\b/i);
    expect(shown.text("#csv-error")).toMatch(/line 4\b/i);
    expect(shown.value("#csv")).toBe(csv);
    expect(await blocked()).toEqual([]);

    const headless = await admin.post("/admin/domain-blocks/import", { csv: "good.example,suspend" });
    expect(headless.status).toBe(400);
    expect(await blocked()).toEqual([]);
  });

  it("lists blocked domains and their reasons publicly", async () => {
    await instance.services.federationPolicy.blockDomain("command line", "spam.example", "Floods us with spam.");
    const visitor = new WebClient(instance, instance.origin);
    const res = await visitor.get("/about/blocked-domains");
    expect(res.status).toBe(200);
    const listed = page(await res.text());
    expect(listed.text("h1")).toBe("Blocked domains");
    expect(listed.within("tbody tr", "spam.example").text()).toContain("Floods us with spam.");
    expect(listed.attrs("footer a", "href")).toContain("/about/blocked-domains");
  });
});

describe("the allow list on the web", () => {
  let instance: RunningInstance;
  let admin: WebClient;

  beforeAll(async () => {
    instance = await startInstance({ CONNEXO_FEDERATION_MODE: "allowlist" }, { serve: false, worker: false });
    await instance.services.actors.createPerson({ handle: "ada", displayName: "Ada Admin", password: PASSWORD });
    await instance.services.actors.makeAdmin("ada");
    admin = new WebClient(instance, instance.origin);
    await admin.signIn("ada", PASSWORD);
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it("lets administrators allow a domain and take it off the list, on the blocks page", async () => {
    const form = page(await (await admin.get("/admin/domain-blocks")).text());
    expect(form.text("#federation-mode")).toContain("federates only with the domains on this list");
    expect(form.text("form[action='/admin/domain-blocks/allow'] button")).toBe("Allow domain");

    const bad = await admin.post("/admin/domain-blocks/allow", { allow: "not a domain", note: "x" });
    expect(bad.status).toBe(400);
    expect(page(await bad.text()).text("#allow-error")).toContain("is not a domain");

    const res = await admin.post("/admin/domain-blocks/allow", { allow: "https://Partner.Example/", note: "The partner council." });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/domain-blocks?allowed=partner.example");
    const listed = page(await (await admin.get(res.headers.get("location")!)).text());
    expect(listed.text("[role=status]")).toContain("partner.example is on the allow list");
    expect(listed.within("tbody tr", "The partner council.").text("button")).toBe("Remove partner.example from the allow list");

    const visitor = new WebClient(instance, instance.origin);
    const about = page(await (await visitor.get("/about/blocked-domains")).text());
    expect(about.text("#federation-mode")).toContain("federates only with the domains listed here");
    expect(about.within("tbody tr", "partner.example").text()).toContain("The partner council.");

    const removed = await admin.post("/admin/domain-blocks/disallow", { domain: "partner.example" });
    expect(removed.status).toBe(303);
    expect(await instance.services.federationPolicy.allowedDomains()).toEqual([]);
    const log = await instance.services.moderation.log((await instance.services.actors.find("ada"))!);
    expect(log.entries.map((e) => [e.action, e.subject])).toEqual(
      expect.arrayContaining([
        ["domain.allowed", "partner.example"],
        ["domain.disallowed", "partner.example"],
      ]),
    );
  });
});
