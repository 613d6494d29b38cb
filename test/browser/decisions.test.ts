import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { momentFieldValue, parseMoment } from "../../src/domain/time-zone.ts";
import { startInstance, type RunningInstance } from "../helpers/instance.ts";
import { accessibilityViolations, describeViolations, launchChromium, screenshot } from "./chromium.ts";

const PASSWORD = "a long enough password";
const DAY_MS = 86_400_000;

/** The instance's zone, which the open form reads times in (day first: "05/12/2026 17:00"). */
const ZONE = "Europe/London";

/**
 * A decision record's whole life in real Chromium: Amara, an administrator
 * of the team, proposes it, opens it for comment, Ben replies, Amara closes
 * comments early (with a reason) and records the decision, citing Ben's
 * reply. Every page on the way, the registers and the remaining forms pass
 * axe-core (WCAG 2.2 A and AA) and are photographed into
 * test-output/screenshots.
 */
describe("decision records in Chromium", () => {
  let instance: RunningInstance;
  let browser: Browser;
  let amaraContext: BrowserContext;
  let benContext: BrowserContext;
  let amara: Page;
  let ben: Page;
  let decisionUrl = "";
  const checked: string[] = [];

  /** Checks the page with axe and takes its picture. */
  async function audit(page: Page, name: string) {
    await screenshot(page, name);
    const violations = await accessibilityViolations(page);
    expect(violations, `${name} (${page.url()}):\n${describeViolations(violations)}`).toEqual([]);
    checked.push(name);
  }

  async function signIn(page: Page, handle: string) {
    await page.goto(`${instance.origin}/sign-in`);
    await page.getByLabel("Handle").fill(handle);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${instance.origin}/`);
  }

  /** The record's status as its page's header shows it. */
  const status = (page: Page) => page.locator(".post-header .status").textContent();

  beforeAll(async () => {
    instance = await startInstance();
    const { actors } = instance.services;
    await actors.createCommunity({ handle: "team", name: "Digital team", purpose: "We design and run Northshire's online services." });
    await actors.createPerson({ handle: "amara", displayName: "Amara Okafor", password: PASSWORD });
    await actors.createPerson({ handle: "ben", displayName: "Ben Hughes", password: PASSWORD });
    await actors.addMember("team", "amara", "admin");
    await actors.addMember("team", "ben", "member");
    browser = await launchChromium();
    amaraContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    benContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    amara = await amaraContext.newPage();
    ben = await benContext.newPage();
    await Promise.all([signIn(amara, "amara"), signIn(ben, "ben")]);
  });
  afterAll(async () => {
    await browser?.close();
    await instance?.stop();
  });

  it("lets a community administrator propose a decision, with a preview", async () => {
    await amara.goto(`${instance.origin}/@team`);
    await amara.getByRole("link", { name: "Record a decision" }).click();
    await amara.waitForURL(`${instance.origin}/decisions/new?community=team`);
    await audit(amara, "d01-propose");
    expect(await amara.getByLabel("Community").inputValue()).toBe("team");
    await amara.getByLabel("Title").fill("Move the bins service to the shared platform");
    await amara.getByLabel("Question").fill("Should the bins service move to the shared platform next year?");
    await amara
      .getByLabel("Context")
      .fill(
        "The bins service runs on its own servers.\n\n- Their support contract ends in **March**\n- The shared platform hosts six services already",
      );
    const option = (n: number) => amara.getByRole("group", { name: `Option ${n}`, exact: true });
    await option(1).getByLabel("Name").fill("Move to the shared platform");
    await option(1).getByLabel("Description").fill("One team runs the servers; the migration takes **two months**.");
    await option(2).getByLabel("Name").fill("Renew the contract");
    await option(2).getByLabel("Description").fill("Nothing moves; the contract costs the same again.");
    await amara.getByLabel("Tags").fill("bins, platforms");
    await amara.getByRole("button", { name: "Preview" }).click();
    await amara.locator("#preview").waitFor();
    expect(await amara.locator("#preview").getByText("two months").count()).toBe(1);
    // Nothing is stored by a preview, and the form keeps what was typed.
    expect(await amara.getByLabel("Title").inputValue()).toBe("Move the bins service to the shared platform");
    expect((await instance.services.decisions.register({}, 1)).items).toHaveLength(0);
    await audit(amara, "d02-propose-preview");
    await amara.getByRole("button", { name: "Propose decision" }).click();
    await amara.waitForURL(/\/decisions\/[0-9a-f-]{36}\?done=proposed$/);
    decisionUrl = amara.url().replace(/\?.*$/, "");
    expect(await status(amara)).toBe("Proposed");
    expect(await amara.getByRole("heading", { level: 1 }).textContent()).toBe("Move the bins service to the shared platform");
    expect(await amara.getByRole("heading", { name: "Renew the contract" }).count()).toBe(1);
    await audit(amara, "d03-decision-proposed");
  });

  it("opens the record for comment until a time in the instance's zone, refusing one in the past", async () => {
    await amara.goto(decisionUrl);
    await amara.getByRole("link", { name: "Open for comment" }).click();
    await amara.waitForURL(`${decisionUrl}/open`);
    await audit(amara, "d04-open");
    await amara.getByLabel("Comments close (Europe/London time)").fill("06/01/2020 17:00");
    await amara.getByRole("button", { name: "Open for comment" }).click();
    await expect.poll(() => amara.locator("#closesAt-error").count()).toBe(1);
    expect(await amara.locator("#closesAt-error").textContent()).toContain("Must be in the future");
    expect(await amara.getByLabel("Comments close (Europe/London time)").inputValue()).toBe("06/01/2020 17:00");
    await audit(amara, "d05-open-error");
    const closesAt = momentFieldValue(new Date(Date.now() + 3 * DAY_MS), ZONE);
    await amara.getByLabel("Comments close (Europe/London time)").fill(closesAt);
    await amara.getByRole("button", { name: "Open for comment" }).click();
    await amara.waitForURL(`${decisionUrl}?done=opened`);
    expect(await status(amara)).toBe("Open for comment");
    const invitation = amara.locator("#invitation-title");
    expect(await invitation.textContent()).toMatch(/^Open for comment until /);
    expect(await invitation.locator("time").getAttribute("datetime")).toBe(parseMoment(closesAt, ZONE)!.toISOString());
    await audit(amara, "d06-decision-open");
  });

  it("lets a member reply to the open record from its page", async () => {
    await ben.goto(decisionUrl);
    expect(await ben.locator("#invitation-title").count()).toBe(1);
    await ben.getByLabel("Your reply").fill("The **shared platform** already has the address lookup the bins service needs.");
    await ben.getByRole("button", { name: "Reply", exact: true }).click();
    await ben.waitForURL(`${decisionUrl}?done=replied#replies-title`);
    const reply = ben.getByRole("article", { name: "Reply from Ben Hughes" });
    expect(await reply.getByText("already has the address lookup").count()).toBe(1);
    await audit(ben, "d07-decision-replied");
  });

  it("asks for a reason to close comments before their time", async () => {
    await amara.goto(decisionUrl);
    await amara.getByRole("link", { name: "Close comments" }).click();
    await amara.waitForURL(`${decisionUrl}/close`);
    await amara.getByRole("button", { name: "Close comments now" }).click();
    await expect.poll(() => amara.locator("#reason-error").count()).toBe(1);
    expect((await instance.services.decisions.get(decisionUrl.split("/").at(-1)!))?.status).toBe("open");
    await audit(amara, "d08-close-error");
    await amara.getByLabel("Reason").fill("The team agreed on Tuesday; nothing new has come in for a week.");
    await amara.getByRole("button", { name: "Close comments now" }).click();
    await amara.waitForURL(`${decisionUrl}?done=closed`);
    expect(await status(amara)).toBe("Comments closed");
  });

  it("records the decision, citing the reply that informed it, and shows the whole history", async () => {
    await amara.goto(decisionUrl);
    await amara.getByRole("link", { name: "Record the decision" }).click();
    await amara.waitForURL(`${decisionUrl}/decide`);
    // Whoever records the decision is offered as one who made it.
    expect(await amara.getByLabel("Who decided").inputValue()).toBe("@amara");
    await amara.getByLabel("Decision", { exact: true }).fill("The bins service moves to the **shared platform** by June.");
    await amara.getByLabel("Rationale").fill("It ends a contract, and the platform already does the address lookup.");
    await amara.getByLabel("Consequences").fill("The platform team takes on one more service.");
    // Ben's reply also comes back through the community's inbox: it is offered once all the same.
    const citedReply = amara.getByRole("group", { name: /^Reply from Ben Hughes/ });
    expect(await citedReply.count()).toBe(1);
    await citedReply.getByLabel("This informed the decision").check();
    await citedReply.getByLabel("How it informed the decision").fill("It showed the platform meets the lookup need.");
    await audit(amara, "d09-decide");
    await amara.getByRole("button", { name: "Record the decision" }).click();
    await amara.waitForURL(`${decisionUrl}?done=decided`);
    expect(await status(amara)).toBe("Decided");
    expect(await amara.locator("section[aria-labelledby=decision-title]").textContent()).toContain(
      "The bins service moves to the shared platform by June.",
    );
    const informedBy = amara.locator("section[aria-labelledby=informed-by-title]");
    expect(await informedBy.getByRole("link", { name: "Reply from Ben Hughes" }).count()).toBe(1);
    expect(await informedBy.textContent()).toContain("How it informed the record: It showed the platform meets the lookup need.");
    const history = await amara
      .locator("ol.history > li")
      .evaluateAll((items) => items.map((li) => [...li.querySelectorAll("p:not(.meta)")].map((p) => p.textContent).join(" | ")));
    expect(history).toEqual([
      "Proposed",
      "Opened for comment | Status changed from Proposed to Open for comment",
      "Comments closed | Status changed from Open for comment to Comments closed | Reason: The team agreed on Tuesday; nothing new has come in for a week.",
      "Decided | Status changed from Comments closed to Decided",
    ]);
    await audit(amara, "d10-decision-decided");
  });

  it("passes axe on the registers and the remaining forms, and at 320 px wide", async () => {
    const path = new URL(decisionUrl).pathname;
    await amara.goto(`${instance.origin}/decisions`);
    expect(await amara.getByRole("link", { name: "Move the bins service to the shared platform" }).count()).toBe(1);
    await audit(amara, "d11-register");
    await amara.getByLabel("Status", { exact: true }).selectOption("decided");
    await amara.getByRole("button", { name: "Show records" }).click();
    // A GET form: the filter is in the address, empty fields too.
    await amara.waitForURL((url) => url.pathname === "/decisions" && url.searchParams.get("status") === "decided");
    expect(await amara.locator("#results-title").textContent()).toBe("1 record");
    await audit(amara, "d12-register-filtered");
    await amara.getByLabel("Status", { exact: true }).selectOption("open");
    await amara.getByRole("button", { name: "Show records" }).click();
    await amara.waitForURL((url) => url.searchParams.get("status") === "open");
    expect(await amara.locator("#results-title").textContent()).toBe("0 records");
    for (const [name, page, heading] of [
      ["d13-community-register", "/@team/decisions", "Decisions in Digital team"],
      ["d14-amend", `${path}/edit`, "Amend decision record"],
      ["d15-withdraw", `${path}/withdraw`, "Withdraw the record"],
      ["d16-supersede", `${path}/supersede`, "Mark as superseded"],
    ] as const) {
      const response = await amara.goto(`${instance.origin}${page}`);
      expect(response?.status(), name).toBe(200);
      expect(await amara.getByRole("heading", { level: 1 }).textContent()).toBe(heading);
      await audit(amara, name);
    }
    const phone = await amaraContext.newPage();
    await phone.setViewportSize({ width: 320, height: 640 });
    for (const [name, page] of [
      ["d17-phone-decision", path],
      ["d18-phone-propose", "/decisions/new"],
    ] as const) {
      await phone.goto(`${instance.origin}${page}`);
      const overflow = await phone.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > width + 1);
        return wide.map((e) => `${e.outerHTML.slice(0, 160)} (right edge ${Math.round(e.getBoundingClientRect().right)})`).slice(0, 5);
      });
      expect(overflow, `${name} has elements wider than 320 px`).toEqual([]);
      await audit(phone, name);
    }
    expect(checked.length).toBe(18);
  });
});
