import sharp from "sharp";
import { queryRows } from "../helpers/database.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { setupUrl } from "../../src/services/setup.ts";
import { eventually, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { accessibilityViolations, describeViolations, launchChromium, screenshot } from "./chromium.ts";

const PASSWORD = "a long enough password";

/**
 * The whole journey in real Chromium, across two instances on loopback: the
 * operator sets up Northshire, invites Ben, who signs up; the operator adds
 * him to his team, where he publishes a weeknote with an image; Bob on Riverside follows the team from
 * his Following page, sees the weeknote arrive and replies; the reply shows
 * on the weeknote's page at Northshire. Every page passes axe-core (WCAG 2.2
 * A and AA) and is photographed into test-output/screenshots.
 */
describe("the web interface in Chromium", () => {
  let northshire: RunningInstance;
  let riverside: RunningInstance;
  let browser: Browser;
  let benContext: BrowserContext;
  let bobContext: BrowserContext;
  let ben: Page;
  let bob: Page;
  let weeknoteUrl = "";
  const checked: string[] = [];

  /** Checks the page with axe and takes its picture. */
  async function audit(page: Page, name: string) {
    await screenshot(page, name);
    const violations = await accessibilityViolations(page);
    expect(violations, `${name} (${page.url()}):\n${describeViolations(violations)}`).toEqual([]);
    checked.push(name);
  }

  beforeAll(async () => {
    [northshire, riverside] = await Promise.all([startInstance(), startInstance()]);
    const team = await northshire.services.actors.createCommunity({
      handle: "team",
      name: "Digital team",
      purpose: "We design and run Northshire's online services.",
    });
    // Open to replies: this journey is about publishing; moderation.test.ts walks through held replies.
    await northshire.store.actors.setReplyPolicy(team.id, "open");
    await riverside.services.actors.createPerson({ handle: "bob", displayName: "Bob Riverside", password: PASSWORD });
    browser = await launchChromium();
    benContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    bobContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    ben = await benContext.newPage();
    bob = await bobContext.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([northshire?.stop(), riverside?.stop()]);
  });

  it("sets the instance up through the one-time link", async () => {
    const secret = (await northshire.services.setup.newSecret())!;
    await ben.goto(setupUrl(northshire.origin, secret));
    await audit(ben, "01-setup");
    // A first try without a password shows the error next to the field and keeps the rest.
    await ben.getByLabel("Name of this instance").fill("Northshire Council");
    await ben.getByLabel("Your name").fill("Amara Okafor");
    await ben.getByLabel("Handle").fill("amara");
    await ben.getByRole("button", { name: "Set up and sign in" }).click();
    await expect.poll(() => ben.locator("#password-error").count()).toBe(1);
    expect(await ben.getByLabel("Name of this instance").inputValue()).toBe("Northshire Council");
    await audit(ben, "02-setup-errors");
    await ben.getByLabel("Password").fill(PASSWORD);
    await ben.getByRole("button", { name: "Set up and sign in" }).click();
    await ben.waitForURL(`${northshire.origin}/admin`);
    await audit(ben, "03-admin");
    // The link works once.
    const again = await ben.goto(setupUrl(northshire.origin, secret));
    expect(again?.status()).toBe(404);
  });

  let invitationLink = "";
  it("lets the administrator invite someone, and the invited person join", async () => {
    await ben.goto(`${northshire.origin}/admin`);
    await ben.getByLabel(/Note/).fill("Ben, service design");
    await ben.getByRole("button", { name: "Create an invitation link" }).click();
    await audit(ben, "04-invitation-link");
    invitationLink = await ben.locator("#invitation-link").inputValue();
    expect(invitationLink).toMatch(new RegExp(`^${northshire.origin}/invitations/`));
    await ben.goto(`${northshire.origin}/admin`);
    await audit(ben, "04-admin-with-pending-invitation");
    await ben.getByRole("button", { name: "Sign out" }).click();
    await ben.waitForURL(`${northshire.origin}/`);

    await ben.goto(invitationLink);
    await audit(ben, "05-invitation");
    await ben.getByLabel("Your name").fill("Ben Hughes");
    await ben.getByLabel("Handle").fill("ben");
    await ben.getByLabel("Password").fill(PASSWORD);
    await ben.getByRole("button", { name: "Create my account" }).click();
    await ben.waitForURL(`${northshire.origin}/@ben`);
    await audit(ben, "06-person");
  });

  it("lets the administrator add the new person to a community", async () => {
    // Ben is signed in here now; the administrator signs in beside him.
    const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const admin = await adminContext.newPage();
    await admin.goto(`${northshire.origin}/sign-in?next=/@team/members`);
    await admin.getByLabel("Handle").fill("amara");
    await admin.getByLabel("Password").fill(PASSWORD);
    await admin.getByRole("button", { name: "Sign in" }).click();
    await admin.waitForURL(`${northshire.origin}/@team/members`);
    // A handle that is no one's shows the error next to the field and keeps the role chosen.
    await admin.getByLabel("Their handle").fill("benn");
    await admin.getByLabel("Facilitator", { exact: true }).check();
    await admin.getByRole("button", { name: "Add member" }).click();
    await expect.poll(() => admin.locator("#person-error").count()).toBe(1);
    expect(await admin.getByLabel("Facilitator", { exact: true }).isChecked()).toBe(true);
    await audit(admin, "06a-members-error");
    await admin.getByLabel("Their handle").fill("ben");
    await admin.getByLabel("Member", { exact: true }).check();
    await admin.getByRole("button", { name: "Add member" }).click();
    await admin.waitForURL(`${northshire.origin}/@team/members?added=ben`);
    expect(await admin.getByLabel("Role of Ben Hughes").inputValue()).toBe("member");
    await audit(admin, "06b-members");
    // Removing asks first; cancelling changes nothing.
    await admin.getByRole("link", { name: "Remove Ben Hughes" }).click();
    await admin.waitForURL(`${northshire.origin}/@team/members/ben/remove`);
    await audit(admin, "06c-remove-member-confirm");
    await admin.getByRole("link", { name: "Cancel" }).click();
    await admin.waitForURL(`${northshire.origin}/@team/members`);
    // A delivery that failed for good waits on the administrators' page of failed messages.
    const delivery = {
      type: "outbox",
      inbox: "https://gone.example/inbox",
      activity: { type: "Create", id: `${northshire.origin}/activities/x` },
    };
    await queryRows(
      northshire.database,
      "INSERT INTO queue_messages (queue, payload, origin, available_at, attempts) VALUES ('fedify:dead', ?, 'https://gone.example', ?, 10)",
      [JSON.stringify(delivery), Date.now()],
    );
    await admin.goto(`${northshire.origin}/admin`);
    await admin.getByRole("link", { name: "retry or discard them" }).click();
    await admin.waitForURL(`${northshire.origin}/admin/dead-letters`);
    expect(await admin.getByText("https://gone.example").count()).toBeGreaterThan(0);
    await audit(admin, "06d-dead-letters");
    await adminContext.close();
    const [team, benActor] = await Promise.all([northshire.services.actors.find("team"), northshire.services.actors.find("ben")]);
    expect(await northshire.store.actors.membership(team!.id, benActor!.id)).toBe("member");
  });

  it("lets someone on another instance follow the team from their Following page", async () => {
    await bob.goto(`${riverside.origin}/sign-in`);
    await audit(bob, "07-sign-in");
    await bob.getByLabel("Handle").fill("bob");
    await bob.getByLabel("Password").fill(PASSWORD);
    await bob.getByRole("button", { name: "Sign in" }).click();
    await bob.waitForURL(`${riverside.origin}/`);
    await bob.goto(`${riverside.origin}/timeline`);
    await audit(bob, "08-following-empty");
    await bob.getByLabel("Account", { exact: true }).fill(`${northshire.origin}/@team`);
    await bob.getByRole("button", { name: "Follow", exact: true }).click();
    await bob.waitForURL(`${riverside.origin}/timeline?done=followed`);
    const team = (await northshire.services.actors.find("team"))!;
    await eventually(async () => (await northshire.store.follows.countFollowers(team.id)) === 1, 15_000, "the follow to arrive");
  });

  it("lets a member write, preview and publish a weeknote with an image", async () => {
    await ben.goto(`${northshire.origin}/compose`);
    await audit(ben, "09-compose");
    await ben.getByLabel("Community").selectOption("team");
    await ben.getByLabel("Title").fill("Week 48: the consultation opens");
    await ben.getByLabel("Summary").fill("We opened the consultation on bin collections.");
    await ben
      .getByLabel("Body")
      .fill("We **opened the consultation** on Tuesday.\n\n- 400 responses in two days\n- The accessible version was ready on day one");
    await ben.getByLabel("Tags").fill("consultation, bins");
    const image = await sharp({ create: { width: 2400, height: 1200, channels: 3, background: "#1d70b8" } })
      .png()
      .toBuffer();
    await ben.getByLabel("Image 1", { exact: true }).setInputFiles({ name: "wall.png", mimeType: "image/png", buffer: image });
    await ben.getByLabel("Description of image 1 (alt text)").fill("Sticky notes from the research wall");
    await ben.getByRole("button", { name: "Preview" }).click();
    await expect.poll(() => ben.getByText("opened the consultation").count()).toBeGreaterThan(0);
    await audit(ben, "10-compose-preview");
    await ben.getByRole("button", { name: "Publish" }).click();
    // The page says it is published (`?done=published`); the weeknote's own address is without that.
    await ben.waitForURL(/\/posts\/[0-9a-f-]+\?done=published$/);
    weeknoteUrl = ben.url().split("?")[0]!;
    const img = ben.getByRole("img", { name: "Sticky notes from the research wall" });
    expect(await img.getAttribute("width")).toBe("1600");
    await audit(ben, "11-weeknote");
    await ben.goto(`${northshire.origin}/@team`);
    expect(await ben.getByRole("link", { name: "Week 48: the consultation opens" }).count()).toBe(1);
    await audit(ben, "12-community");
  });

  it("delivers the weeknote to the other instance, where its reader replies", async () => {
    await eventually(
      async () => {
        await bob.goto(`${riverside.origin}/timeline`);
        return (await bob.getByRole("link", { name: "Week 48: the consultation opens" }).count()) === 1;
      },
      20_000,
      "the weeknote on Riverside",
    );
    await audit(bob, "13-following-with-weeknote");
    await bob.getByText("Reply", { exact: true }).first().click();
    await bob.getByLabel("Your reply").first().fill("Our **bins dataset** might help: collection days for every street.");
    await bob.getByRole("button", { name: "Send reply" }).first().click();
    await bob.waitForURL(`${riverside.origin}/timeline?done=replied`);
    await audit(bob, "14-following-replied");
  });

  it("shows the reply back on the weeknote's page, with its author", async () => {
    await eventually(
      async () => {
        await ben.goto(weeknoteUrl);
        return (await ben.getByText("bins dataset").count()) > 0;
      },
      20_000,
      "the reply on Northshire",
    );
    expect(await ben.getByRole("link", { name: "Bob Riverside", exact: true }).count()).toBe(1);
    await audit(ben, "15-weeknote-with-reply");
  });

  it("passes axe on the remaining pages, and at 320 px wide", async () => {
    const id = weeknoteUrl.split("/").at(-1);
    for (const [name, path] of [
      ["16-home", "/"],
      ["17-tag", "/tags/consultation"],
      ["18-drafts", "/drafts"],
      ["19-edit", `/posts/${id}/edit`],
      ["20-delete-confirm", `/posts/${id}/delete`],
      ["21-following", "/timeline"],
      ["22-not-found", "/no/such/page"],
      ["22b-change-password", "/account/password"],
    ] as const) {
      await ben.goto(`${northshire.origin}${path}`);
      await audit(ben, name);
    }
    const phone = await benContext.newPage();
    await phone.setViewportSize({ width: 320, height: 640 });
    for (const [name, path] of [
      ["23-phone-weeknote", new URL(weeknoteUrl).pathname],
      ["24-phone-compose", "/compose"],
      ["25-phone-community", "/@team"],
    ] as const) {
      await phone.goto(`${northshire.origin}${path}`);
      const overflow = await phone.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > width + 1);
        return wide.map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}.${e.className}`).slice(0, 5);
      });
      expect(overflow, `${name} has elements wider than 320 px`).toEqual([]);
      await audit(phone, name);
    }
    expect(checked.length).toBe(31);
  });
});
