import sharp from "sharp";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { linkIn, startSmtpServer, type TestSmtpServer } from "../helpers/smtp.ts";
import { auditAtTwoWidths, launchChromium, reloadUntil, signInAs } from "./chromium.ts";

const PASSWORD = "a long enough password";
const NEW_PASSWORD = "a brand new long passphrase";

/**
 * Looking after oneself, in real Chromium across two instances on loopback:
 * Alice at Northshire gives her profile a picture; Bob, who follows her from
 * Riverside, sees it beside her weeknote there and replies; Alice finds the
 * reply in her notifications; then, having forgotten her password, she gets a
 * link by email (a real SMTP server on loopback) and signs in with a new one.
 * Every new page state passes axe (WCAG 2.2 A and AA), at full width and at
 * 320 px.
 */
describe("a profile, a reply, a notification and a forgotten password, in Chromium", () => {
  let smtp: TestSmtpServer;
  let northshire: RunningInstance;
  let riverside: RunningInstance;
  let browser: Browser;
  let alice: Page;
  let bob: Page;
  let weeknoteTitle = "";
  const checked: string[] = [];

  beforeAll(async () => {
    smtp = await startSmtpServer();
    [northshire, riverside] = await Promise.all([startInstance({ ...smtp.env, CONNEXO_INSTANCE_NAME: "Northshire" }), startInstance()]);
    const { person } = await seedCommunity(northshire, { person: "alice", community: "roads" });
    await northshire.services.accountEmail.change(person, PASSWORD, "alice@northshire.example");
    const bobPerson = await riverside.services.actors.createPerson({ handle: "bob", displayName: "Bob Riverside", password: PASSWORD });
    await riverside.services.follows.requestFollow("bob", `${northshire.origin}/@alice`);
    await eventually(async () => (await riverside.store.follows.countFollowing(bobPerson.id)) === 1, 15_000, "Bob following Alice");
    weeknoteTitle = "Week 49: potholes on the high street";
    await northshire.services.weeknotes.publish("roads", person, {
      title: weeknoteTitle,
      summary: "We mapped every pothole on the high street.",
      body: "We **mapped** them all.",
    });
    browser = await launchChromium();
    alice = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    bob = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([northshire?.stop(), riverside?.stop()]);
    await smtp?.stop();
  });

  it("lets Alice give her profile a bio, a link and a picture", async () => {
    await signInAs(alice, northshire, "alice", PASSWORD);
    await alice.goto(`${northshire.origin}/@alice`);
    await alice.getByRole("link", { name: "Edit your profile" }).click();
    await auditAtTwoWidths(alice, "p01-profile-form", checked);
    await alice.getByLabel("Display name").fill("Alice Adeyemi");
    await alice.getByLabel("Job title").fill("Head of Roads");
    await alice.getByLabel("Bio").fill("I look after the **roads** of Northshire.");
    await alice.getByLabel("Link 1: name").fill("Road works map");
    await alice.getByLabel("Link 1: address").fill("https://maps.northshire.example/road-works");
    const picture = await sharp({ create: { width: 600, height: 800, channels: 3, background: "#0b0c0c" } })
      .png()
      .toBuffer();
    await alice.getByLabel("Choose a picture").setInputFiles({ name: "alice.png", mimeType: "image/png", buffer: picture });
    // Saved without describing the picture: the form says so, next to the field.
    await alice.getByRole("button", { name: "Save the profile" }).click();
    expect(await alice.locator(".error-summary").textContent()).toContain("Description of the picture");
    await auditAtTwoWidths(alice, "p02-profile-form-error", checked);
    await alice.getByLabel("Choose a picture").setInputFiles({ name: "alice.png", mimeType: "image/png", buffer: picture });
    await alice.getByLabel("Description of the picture").fill("Alice in a hard hat beside a road sign");
    await alice.getByRole("button", { name: "Save the profile" }).click();
    await alice.waitForURL(`${northshire.origin}/account/profile?done=saved`);
    await auditAtTwoWidths(alice, "p03-profile-saved", checked);
    await alice.goto(`${northshire.origin}/@alice`);
    expect(await alice.getByRole("img", { name: "Alice in a hard hat beside a road sign" }).count()).toBe(1);
    await auditAtTwoWidths(alice, "p04-profile-page", checked);
  });

  it("shows Bob her new picture beside her weeknote at Riverside, where he replies", async () => {
    const avatar = (await northshire.services.actors.find("alice"))!.avatarUrl!;
    await signInAs(bob, riverside, "bob", PASSWORD);
    await reloadUntil(
      bob,
      `${riverside.origin}/timeline`,
      async () => (await bob.locator(`img.avatar[src="${northshire.origin}${avatar}"]`).count()) > 0,
      "Alice's new picture on Riverside",
    );
    expect(await bob.getByRole("link", { name: weeknoteTitle }).count()).toBe(1);
    expect(await bob.getByText("Alice Adeyemi").count()).toBeGreaterThan(0);
    await auditAtTwoWidths(bob, "p05-riverside-network-view", checked);
    await bob.getByText("Reply", { exact: true }).first().click();
    await bob.getByLabel("Your reply").first().fill("The pothole outside number 12 is the worst.");
    await bob.getByRole("button", { name: "Send reply" }).first().click();
    await bob.waitForURL(`${riverside.origin}/timeline?done=replied`);
  });

  it("tells Alice of the reply in her notifications", async () => {
    await reloadUntil(
      alice,
      `${northshire.origin}/`,
      async () => (await alice.getByRole("link", { name: "Notifications (1)" }).count()) === 1,
      "the notification count",
      20_000,
    );
    await alice.getByRole("link", { name: "Notifications (1)" }).click();
    expect(await alice.locator("main").textContent()).toContain("Bob Riverside");
    await auditAtTwoWidths(alice, "p06-notifications", checked);
    // Seen, they are read: the count goes.
    await alice.goto(`${northshire.origin}/`);
    expect(await alice.getByRole("link", { name: "Notifications", exact: true }).count()).toBe(1);
  });

  it("lets Alice, having forgotten her password, choose a new one from a link sent by email, and sign in with it", async () => {
    await alice.getByRole("button", { name: "Sign out" }).click();
    await alice.goto(`${northshire.origin}/sign-in`);
    await alice.getByRole("link", { name: "Forgot your password?" }).click();
    await auditAtTwoWidths(alice, "p07-forgot-password", checked);
    const before = smtp.messages.length;
    await alice.getByLabel("Your handle or email address").fill("alice@northshire.example");
    await alice.getByRole("button", { name: "Send me a link" }).click();
    await auditAtTwoWidths(alice, "p08-forgot-password-sent", checked);
    const mail = await eventually(() => smtp.messages[before], 15_000, "the reset message");
    expect(mail.recipients).toEqual(["alice@northshire.example"]);
    await alice.goto(linkIn(mail, northshire.origin));
    await auditAtTwoWidths(alice, "p09-choose-new-password", checked);
    await alice.getByLabel("New password").fill(NEW_PASSWORD);
    await alice.getByRole("button", { name: "Set password" }).click();
    await auditAtTwoWidths(alice, "p10-password-changed", checked);
    await signInAs(alice, northshire, "alice", NEW_PASSWORD);
    expect(await alice.getByRole("button", { name: "Sign out" }).count()).toBe(1);
    expect(checked).toHaveLength(20);
  });
});
