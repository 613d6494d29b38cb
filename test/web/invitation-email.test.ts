import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { page } from "../helpers/html.ts";
import { eventually, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { linkIn, startSmtpServer, type TestSmtpServer } from "../helpers/smtp.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";
const HTML = { accept: "text/html,application/xhtml+xml" };

/**
 * Invitations by email: the administrator gives an address and the link goes
 * there, through a real SMTP server on loopback that asks for a user and
 * password; without an address, or without email, the link is only shown.
 */
describe("invitations by email", () => {
  let smtp: TestSmtpServer;
  let instance: RunningInstance;

  beforeAll(async () => {
    smtp = await startSmtpServer({ auth: { user: "connexo", password: "smtp secret" } });
    instance = await startInstance({ ...smtp.env, CONNEXO_INSTANCE_NAME: "Northshire Connexo" }, { serve: false, worker: false });
    const { actors } = instance.services;
    await actors.createPerson({ handle: "ada", displayName: "Ada Admin", password: PASSWORD });
    await actors.makeAdmin("ada");
    await actors.createPerson({ handle: "mo", displayName: "Mo Member", password: PASSWORD });
  });
  afterAll(async () => {
    await instance?.stop();
    await smtp?.stop();
  });

  const signedIn = async (handle: string) => {
    const client = new WebClient(instance, instance.origin);
    await client.signIn(handle, PASSWORD);
    await client.get("/admin", HTML);
    return client;
  };
  const pending = async () => (await instance.services.invitations.pending({ ...(await instance.services.actors.find("ada"))! })).length;

  it("emails the link to the address given, and says so", async () => {
    const ada = await signedIn("ada");
    const form = page(ada.lastHtml);
    expect(form.attr("form[action='/admin/invitations'] input[name=email]", "type")).toBe("email");

    const made = await ada.post("/admin/invitations", { note: "Bo, data team", email: " Bo@Council.example " });
    expect(made.status).toBe(200);
    const shown = page(await made.text());
    expect(shown.text(".notice")).toBe("The invitation was sent to bo@council.example.");
    const link = shown.one("#invitation-link").getAttribute("value")!;

    const mail = await eventually(() => smtp.messages[0], 15_000, "the invitation");
    expect(mail.user).toBe("connexo");
    expect(mail.recipients).toEqual(["bo@council.example"]);
    expect(mail.parsed.from?.value).toEqual([{ address: "no-reply@council.example", name: "Connexo" }]);
    expect(mail.subject).toBe("You are invited to Northshire Connexo");
    expect(mail.text).toContain("Ada Admin invited you to join Northshire Connexo");
    expect(linkIn(mail, instance.origin)).toBe(link);

    // The link in the message opens the invitation.
    const bo = new WebClient(instance, instance.origin);
    const opened = await bo.get(new URL(link).pathname, HTML);
    expect(opened.status).toBe(200);
    expect(page(await opened.text()).text()).toContain("Ada Admin invited you");
  });

  it("shows the link only, as before, when no address is given", async () => {
    const ada = await signedIn("ada");
    const before = smtp.messages.length;
    const made = page(await (await ada.post("/admin/invitations", { note: "Cy", email: "" })).text());
    expect(made.count(".notice")).toBe(0);
    expect(made.text(".lede")).toContain("Send this link to the person you invited (Cy)");
    expect(made.one("#invitation-link").getAttribute("value")).toMatch(/\/invitations\//);
    expect(smtp.messages.length).toBe(before);
  });

  it("refuses an invalid address with the note, making no invitation", async () => {
    const ada = await signedIn("ada");
    const before = await pending();
    const refused = await ada.post("/admin/invitations", { note: "x".repeat(201), email: "not an address" });
    expect(refused.status).toBe(400);
    const form = page(await refused.text());
    expect(form.text(".error-summary")).toContain("Email address");
    expect(form.text(".error-summary")).toContain("Note");
    expect(form.value("input[name=email]")).toBe("not an address");
    expect(await pending()).toBe(before);
  });

  it("still shows the link when the mail server refuses the message", async () => {
    const ada = await signedIn("ada");
    const before = smtp.messages.length;
    smtp.refusing = true;
    try {
      const made = await ada.post("/admin/invitations", { note: "Di", email: "di@council.example" });
      expect(made.status).toBe(200);
      const shown = page(await made.text());
      expect(shown.text(".error-summary")).toContain("The invitation to di@council.example did not go");
      expect(shown.one("#invitation-link").getAttribute("value")).toMatch(/\/invitations\//);
    } finally {
      smtp.refusing = false;
    }
    expect(smtp.messages.length).toBe(before);
  });

  it("lets only administrators invite, with the form's token", async () => {
    const before = smtp.messages.length;
    const mo = await signedIn("mo");
    await mo.get("/account/password", HTML);
    expect((await mo.post("/admin/invitations", { note: "", email: "friend@council.example" })).status).toBe(403);
    const ada = await signedIn("ada");
    expect((await ada.post("/admin/invitations", { note: "", email: "forged@council.example", _csrf: "forged" })).status).toBe(403);
    expect(smtp.messages.length).toBe(before);
  });
});

describe("invitations without email", () => {
  let instance: RunningInstance;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    await instance.services.actors.createPerson({ handle: "ada", displayName: "Ada Admin", password: PASSWORD });
    await instance.services.actors.makeAdmin("ada");
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it("asks for no address, and shows the link", async () => {
    const ada = new WebClient(instance, instance.origin);
    await ada.signIn("ada", PASSWORD);
    const admin = page(await (await ada.get("/admin", HTML)).text());
    expect(admin.count("form[action='/admin/invitations'] input[name=email]")).toBe(0);
    const made = page(await (await ada.post("/admin/invitations", { note: "Bo", email: "bo@council.example" })).text());
    expect(made.count(".notice")).toBe(0);
    expect(made.text(".lede")).toContain("Send this link to the person you invited (Bo)");
  });
});
