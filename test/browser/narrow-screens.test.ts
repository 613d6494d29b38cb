import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { accessibilityViolations, describeViolations, launchChromium, screenshot, signInAs } from "./chromium.ts";

const PASSWORD = "a long enough password";
const WIDTH = 320;
/** An address with nothing to break it at: it must wrap, not widen the page. */
const LONG_URL = `https://data.example.gov.uk/datasets/${"street-by-street-collection-days-".repeat(6)}final.csv`;
const LONG_WORD = "Supercalifragilisticexpialidocious".repeat(2);

/**
 * At 320 px (a phone, or a page zoomed to 400 %), nothing scrolls sideways
 * (WCAG 1.4.10 Reflow), signed out and signed in as an administrator: long
 * unbroken text in a weeknote, a reply and a note wraps, and wide tables
 * scroll inside their own box. Each page passes axe-core too.
 */
describe("narrow screens in Chromium", () => {
  let instance: RunningInstance;
  let browser: Browser;
  let visitorContext: BrowserContext;
  let adminContext: BrowserContext;
  let visitor: Page;
  let admin: Page;
  let weeknotePath = "";
  let notePath = "";

  beforeAll(async () => {
    instance = await startInstance({}, { worker: false });
    const { person } = await seedCommunity(instance, { person: "alice", community: "team" });
    const { actors, weeknotes, interactions, communityMembers, decisions } = instance.services;
    await actors.makeAdmin("alice");
    // The longest handle there can be, and a name with no spaces: the members and administration tables must cope.
    await actors.createPerson({ handle: "a".repeat(30), displayName: LONG_WORD, password: PASSWORD, jobTitle: LONG_WORD });
    await actors.addMember("team", "a".repeat(30), "member");
    await communityMembers.invite(person, "team", `@${"b".repeat(40)}@${"very-long-subdomain.".repeat(4)}example`, "member");
    const post = await weeknotes.publish("team", person, {
      title: `Week 49: ${LONG_WORD}`,
      summary: `The data is at ${LONG_URL}`,
      body: `The collection days are at ${LONG_URL} and <${LONG_URL}>.\n\n\`${LONG_URL}\``,
    });
    weeknotePath = `/posts/${post.id}`;
    const note = await interactions.reply(person, `${instance.origin}${weeknotePath}`, `See ${LONG_URL} for ${LONG_WORD}.`);
    notePath = `/notes/${note.id}`;
    await decisions.propose("team", person, {
      title: `Publish ${LONG_WORD}`,
      question: `Should we publish ${LONG_URL}?`,
      context: `It is at ${LONG_URL}.`,
    });
    browser = await launchChromium();
    visitorContext = await browser.newContext({ viewport: { width: WIDTH, height: 640 } });
    adminContext = await browser.newContext({ viewport: { width: WIDTH, height: 640 } });
    visitor = await visitorContext.newPage();
    admin = await adminContext.newPage();
    await signInAs(admin, instance, "alice", PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await instance?.stop();
  });

  /** Visits the page at 320 px: nothing is wider than the screen, and axe finds nothing. */
  async function fitsAt320(page: Page, path: string, name: string) {
    await page.goto(`${instance.origin}${path}`);
    expect(page.url(), `${name} was not redirected`).toBe(`${instance.origin}${path}`);
    await screenshot(page, `narrow-${name}`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    // On failure, name the innermost elements that stick out, to know what to fix.
    const wide = await page.evaluate((limit) => {
      // An element sticks out, or its text does (the text is wider than its box, which stays on screen).
      const out = [...document.body.querySelectorAll("*")].filter(
        (e) =>
          e.getBoundingClientRect().right > limit + 1 ||
          (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === "visible" && e.clientWidth > 0),
      );
      return out
        .filter((e) => !out.some((o) => o !== e && e.contains(o)))
        .slice(0, 5)
        .map((e) => `<${e.tagName.toLowerCase()} class="${e.className}"> ${(e.textContent ?? "").slice(0, 40)}`);
    }, WIDTH);
    expect(width, `${name} (${path}) is ${width} px wide: ${wide.join("; ")}`).toBeLessThanOrEqual(WIDTH);
    const violations = await accessibilityViolations(page);
    expect(violations, `${name}:\n${describeViolations(violations)}`).toEqual([]);
  }

  const pages = () => [
    ["home", "/"],
    ["weeknote", weeknotePath],
    ["note", notePath],
    ["register", "/decisions"],
    ["community", "/@team"],
  ];

  it("fits signed out", async () => {
    for (const [name, path] of pages()) await fitsAt320(visitor, path!, `visitor-${name}`);
  });

  it("fits signed in as an administrator, the administration page too", async () => {
    for (const [name, path] of [...pages(), ["members", "/@team/members"], ["admin", "/admin"]])
      await fitsAt320(admin, path!, `admin-${name}`);
  });
});
