import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Actor, RemoteActorInput } from "../../src/domain/types.ts";
import { startInstance, type RunningInstance } from "../helpers/instance.ts";
import { auditAtTwoWidths, launchChromium, signInAs } from "./chromium.ts";

const PASSWORD = "a long enough password";
const DAY_MS = 86_400_000;

const account = (name: string, displayName: string, host: string): RemoteActorInput => ({
  uri: `https://${host}/users/${name}`,
  type: "Person",
  handle: `@${name}@${host}`,
  name: displayName,
  url: `https://${host}/@${name}`,
  iconUrl: null,
  inbox: `https://${host}/users/${name}/inbox`,
  sharedInbox: null,
});

const bob = account("bob", "Bob", "elsewhere.example");
const cleo = account("cleo", "Cleo", "connexo-b.example");

/** One unbroken address, far wider than a 320 px screen: it must wrap, not push the page sideways. */
const LONG_URL = `https://elsewhere.example/council/transport/${"timetables-and-route-changes-".repeat(6)}2026.pdf`;
const BOB_TEXT = "The night buses already stop at the depot; the timetable is at";
const NOT_USED = "The depot's buses are run by the county, not by us.";
const INFORMED = "Showed that residents walk past the depot at night.";

/**
 * What became of the replies to a consultation, in real Chromium: Ben (here)
 * and Bob and Cleo (elsewhere) reply to a record open for comment; Amara, who
 * administers the team, sets outcomes for two of them from the outcomes page
 * (first sending the form empty), closes the consultation and records the
 * decision. The record page, the impact pages and their chart, Bob's input
 * page and Ben's note then say what became of each reply. Every page passes
 * axe-core (WCAG 2.2 A and AA) at full width and at 320 px, where nothing,
 * not even a long address in a reply, makes the page scroll sideways.
 */
describe("outcomes of replies in Chromium", () => {
  let instance: RunningInstance;
  let browser: Browser;
  let amaraContext: BrowserContext;
  let visitorContext: BrowserContext;
  let amara: Page;
  let visitor: Page;
  let amaraActor: Actor;
  let recordId = "";
  let recordUrl = "";
  let benNoteId = "";
  const checked: string[] = [];
  const audit = (page: Page, name: string) => auditAtTwoWidths(page, name, checked);

  /** Elements reaching past the right edge of a 320 px screen, outside the tables that scroll on their own. */
  async function expectNoSidewaysScroll(page: Page, name: string) {
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 320, height: 640 });
    const wide = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      return [...document.querySelectorAll("body *")]
        .filter((e) => !e.closest(".table-scroll") && e.getBoundingClientRect().right > width + 1)
        .map((e) => `${e.outerHTML.slice(0, 160)} (right edge ${Math.round(e.getBoundingClientRect().right)})`)
        .slice(0, 5);
    });
    const scrolls = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    if (viewport) await page.setViewportSize(viewport);
    expect(wide, `${name} has elements wider than 320 px`).toEqual([]);
    expect(scrolls, `${name} scrolls sideways at 320 px`).toBe(false);
  }

  beforeAll(async () => {
    instance = await startInstance();
    const { actors, decisions, interactions, replies } = instance.services;
    const team = await actors.createCommunity({
      handle: "team",
      name: "Digital team",
      purpose: "We design and run Northshire's online services.",
    });
    // Replies from newcomers elsewhere would be held for a moderator; holding them has tests of its own.
    await instance.store.actors.setReplyPolicy(team.id, "open");
    amaraActor = await actors.createPerson({ handle: "amara", displayName: "Amara Okafor", password: PASSWORD });
    const ben = await actors.createPerson({ handle: "ben", displayName: "Ben Hughes", password: PASSWORD });
    await actors.addMember("team", "amara", "admin");
    await actors.addMember("team", "ben", "member");
    const proposed = await decisions.propose("team", amaraActor, {
      title: "Light the path by the bus depot",
      question: "Should the path by the bus depot be lit at night?",
      context: "Residents asked for it at the autumn surgery.",
    });
    recordId = proposed.post.id;
    recordUrl = `${instance.origin}/decisions/${recordId}`;
    await decisions.open(recordId, amaraActor, { closesAt: new Date(Date.now() + 7 * DAY_MS) });

    benNoteId = (await interactions.reply(ben, recordUrl, "I walk past the depot every night: it is **pitch dark** after eight.")).id;
    for (const [author, n, html, fromConnexo] of [
      [bob, 1, `<p>${BOB_TEXT} <a href="${LONG_URL}">${LONG_URL}</a></p>`, false],
      [cleo, 2, "<p>Our instance lit a path like it last year: ask us how.</p>", true],
    ] as const) {
      const uri = `${author.uri}/statuses/${n}`;
      const received = await replies.receive({
        uri,
        inReplyTo: recordUrl,
        localPostId: recordId,
        author,
        url: `${author.url}/${n}`,
        contentHtml: html,
        publishedAt: new Date(Date.now() - (3 - n) * 60_000),
        updatedAt: null,
        fromConnexo,
      });
      expect(received).toMatchObject({ outcome: "accept" });
    }

    browser = await launchChromium();
    amaraContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    visitorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    amara = await amaraContext.newPage();
    visitor = await visitorContext.newPage();
    await signInAs(amara, instance, "amara", PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await instance?.stop();
  });

  const outcomesOnRecord = (page: Page) => page.getByRole("region", { name: "What became of the replies" });
  const replyChoice = (page: Page, name: string) => page.getByRole("checkbox", { name: new RegExp(`^${name} `) });

  it("offers the record's administrator the outcomes page, and refuses an empty form with an error summary", async () => {
    await amara.goto(recordUrl);
    const section = outcomesOnRecord(amara);
    expect(await section.getByText("No outcome yet").count()).toBe(3);
    expect(await section.textContent()).toContain("3 replies received during the consultation without an outcome.");
    await section.getByRole("link", { name: "Set outcomes" }).click();
    await amara.waitForURL(`${recordUrl}/outcomes`);
    expect(await amara.getByRole("heading", { level: 1 }).textContent()).toBe("Outcomes of the replies");
    expect(await amara.getByRole("checkbox").count()).toBe(3);
    expect(await amara.getByRole("link", { name: LONG_URL }).count()).toBe(1);
    await audit(amara, "o01-outcomes");
    await expectNoSidewaysScroll(amara, "o01-outcomes");

    const submit = amara.getByRole("button", { name: "Give the chosen replies this outcome" });
    // A comfortable target, as the site's other buttons are (WCAG 2.5.8 asks for 24 px at least).
    expect((await submit.boundingBox())?.height).toBeGreaterThanOrEqual(44);
    await submit.click();
    const summary = amara.locator(".error-summary");
    await summary.waitFor();
    expect(await amara.title()).toMatch(/^Error: /);
    expect(await summary.getByRole("link").allTextContents()).toEqual(["Replies: choose at least one reply", "Outcome: choose an outcome"]);
    expect(await amara.locator("#replies-error").textContent()).toContain("Choose at least one reply");
    await audit(amara, "o02-outcomes-error");
  });

  it("gives one reply “Not used” and another “Informed the decision”, each with its note", async () => {
    await amara.goto(`${recordUrl}/outcomes`);
    await replyChoice(amara, "Bob").check();
    await amara.getByLabel("Not used").check();
    await amara.getByLabel("Note", { exact: true }).fill(NOT_USED);
    await amara.getByRole("button", { name: "Give the chosen replies this outcome" }).click();
    await amara.waitForURL(`${recordUrl}/outcomes?done=saved`);
    expect(await amara.getByRole("status").textContent()).toContain("The outcomes are saved");
    expect(await amara.locator(".outcome-not-used").textContent()).toBe(`Not used: ${NOT_USED}`);
    // Nothing stays ticked for the next outcome.
    expect(await replyChoice(amara, "Bob").isChecked()).toBe(false);

    await replyChoice(amara, "Ben Hughes").check();
    await amara.getByLabel("Informed the decision").check();
    await amara.getByLabel("Note", { exact: true }).fill(INFORMED);
    await amara.getByRole("button", { name: "Give the chosen replies this outcome" }).click();
    await amara.waitForURL(`${recordUrl}/outcomes?done=saved`);
    expect(await amara.locator(".outcome-informed").textContent()).toBe(`Informed the decision: ${INFORMED}`);
    expect(await amara.getByText("1 reply received during the consultation without an outcome yet.").count()).toBe(1);
    await audit(amara, "o03-outcomes-saved");
    await expectNoSidewaysScroll(amara, "o03-outcomes-saved");
  });

  it("shows each reply's outcome on the record's page", async () => {
    await amara.goto(recordUrl);
    const section = outcomesOnRecord(amara);
    expect(await section.locator(".outcome").allTextContents()).toEqual(
      expect.arrayContaining([`Informed the decision: ${INFORMED}`, `Not used: ${NOT_USED}`, "No outcome yet"]),
    );
    expect(await section.getByRole("link", { name: "What we told them" }).count()).toBe(2);
    await audit(amara, "o04-record-outcomes");
    await expectNoSidewaysScroll(amara, "o04-record-outcomes");
  });

  it("counts the closed consultation on the impact pages, with its chart", async () => {
    const { decisions } = instance.services;
    await decisions.close(recordId, amaraActor, { reason: "The team meets on Thursday to decide." });
    // Cleo's reply has no outcome yet, so the decision says why it is recorded without one.
    await decisions.decide(recordId, amaraActor, {
      decision: "The path is lit from dusk to midnight.",
      rationale: "People walk it at night, and it is dark.",
      deciders: "@amara",
      reason: "Decided at Thursday's meeting; Cleo's offer is being taken up separately.",
    });
    for (const [name, path] of [
      ["o05-impact", "/impact"],
      ["o06-community-impact", "/@team/impact"],
    ] as const) {
      await visitor.goto(`${instance.origin}${path}`);
      const chart = visitor.locator("svg.outcome-chart");
      expect(await chart.getAttribute("role"), name).toBe("img");
      expect(await visitor.getByRole("img", { name: "Outcomes of replies to consultations, per quarter" }).count(), name).toBe(1);
      // Here, Connexo, elsewhere; one informed of three.
      expect(await visitor.locator("#impact-replies tr[data-quarter=all] td").allTextContents(), name).toEqual([
        "1",
        "3",
        "1",
        "1",
        "1",
        "1",
        "33%",
        "0.0",
      ]);
      const decided = visitor.getByRole("region", { name: "Decisions and the input that shaped them" });
      expect(await decided.getByRole("link", { name: "Light the path by the bus depot" }).count(), name).toBe(1);
      expect(await decided.textContent(), name).toContain(`Ben Hughes: ${INFORMED}`);
      await audit(visitor, name);
      await expectNoSidewaysScroll(visitor, name);
    }
  });

  it("shows Bob his reply and its outcome on the input page", async () => {
    await visitor.goto(`${instance.origin}/input?author=${encodeURIComponent("@bob@elsewhere.example")}`);
    expect(await visitor.locator("#found-title").textContent()).toBe("Input by @bob@elsewhere.example");
    expect(await visitor.locator(".input-outcome").allTextContents()).toEqual([`Outcome: Not used: ${NOT_USED}`]);
    expect(await visitor.getByRole("link", { name: "Light the path by the bus depot" }).count()).toBe(1);
    await audit(visitor, "o07-input");
    await expectNoSidewaysScroll(visitor, "o07-input");
  });

  it("says on Ben's note what became of it", async () => {
    await visitor.goto(`${instance.origin}/notes/${benNoteId}`);
    const outcome = visitor.getByRole("region", { name: "What became of this reply" });
    expect(await outcome.locator(".outcome").textContent()).toBe(`Informed the decision: ${INFORMED}`);
    expect(await outcome.getByRole("link", { name: "Light the path by the bus depot" }).count()).toBe(1);
    expect(await outcome.getByRole("link", { name: "the community's answer" }).count()).toBe(1);
    await audit(visitor, "o08-note-outcome");
    await expectNoSidewaysScroll(visitor, "o08-note-outcome");
    expect(checked.length).toBe(16);
  });
});
