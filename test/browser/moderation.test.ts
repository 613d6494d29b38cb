import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { REPLY_POLICY_LABELS } from "../../src/domain/reply-policy.ts";
import type { Actor } from "../../src/domain/types.ts";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { auditAtTwoWidths, launchChromium, reloadUntil, signInAs } from "./chromium.ts";

const PASSWORD = "a long enough password";
const FIRST = "Could the bins dataset include recycling days?";
const SECOND = "Cheap watches, visit my shop";

/**
 * Moderation in real Chromium, across two instances: Bob on B replies to a
 * weeknote of the team on A, whose replies from newcomers are held; Alice,
 * who moderates the team and administers A, sees the count in the header and
 * approves the reply from the queue. Bob's second reply is shown at once; a
 * visitor reports it, and Alice hides it from the reports page. Then she
 * blocks B's domain (its replies leave the page) and closes the team's
 * replies. Every page on the way passes axe-core (WCAG 2.2 A and AA), at
 * full width and at 320 px.
 */
describe("moderation in Chromium", () => {
  let a: RunningInstance;
  let b: RunningInstance;
  let browser: Browser;
  let aliceContext: BrowserContext;
  let visitorContext: BrowserContext;
  let alice: Page;
  let visitor: Page;
  let bob: Actor;
  let weeknoteUrl = "";
  const checked: string[] = [];
  const audit = (page: Page, name: string) => auditAtTwoWidths(page, name, checked);
  const replies = (page: Page) => page.getByRole("region", { name: "Replies" });

  beforeAll(async () => {
    [a, b] = await Promise.all([startInstance(), startInstance()]);
    const { person } = await seedCommunity(a, { person: "alice", community: "team", replyPolicy: "newcomers" });
    await a.services.actors.makeAdmin("alice");
    ({ person: bob } = await seedCommunity(b, { person: "bob", community: "unit" }));
    const post = await a.services.weeknotes.publish("team", person, {
      title: "Week 49: the bins dataset",
      summary: "We published collection days for every street.",
      body: "Collection days for every street, as **open data**.",
    });
    weeknoteUrl = `${a.origin}/posts/${post.id}`;
    browser = await launchChromium();
    aliceContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    visitorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    alice = await aliceContext.newPage();
    visitor = await visitorContext.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("holds a reply from the other instance until a moderator approves it from the queue", async () => {
    const note = await b.services.interactions.reply(bob, weeknoteUrl, FIRST);
    await signInAs(alice, a, "alice", PASSWORD);
    const waiting = alice.getByRole("link", { name: "Moderation (1 waiting)" });
    await reloadUntil(alice, `${a.origin}/`, async () => (await waiting.count()) === 1, "the held reply counted in the header");
    await visitor.goto(weeknoteUrl);
    expect(await replies(visitor).getByText(FIRST).count()).toBe(0);
    expect(await visitor.getByText("Replies from people new to this community are held until a moderator approves them.").count()).toBe(1);

    await waiting.click();
    await alice.waitForURL(`${a.origin}/moderation`);
    expect(await alice.getByText(FIRST).count()).toBe(1);
    await audit(alice, "m01-held-replies");
    await alice.getByRole("button", { name: "Approve" }).click();
    await alice.waitForURL(`${a.origin}/moderation?done=approved`);
    expect(await alice.getByText("No replies are waiting.").count()).toBe(1);
    await audit(alice, "m02-held-replies-approved");

    await visitor.goto(weeknoteUrl);
    expect(await replies(visitor).getByText(FIRST).count()).toBe(1);
    // Bob's server keeps the authorization the team's server gave.
    await eventually(async () => (await b.store.posts.findById(note.id))?.replyAuthorization, 15_000, "the authorization on B");
  });

  it("shows the second reply at once; a visitor reports it and the moderator hides it", async () => {
    await b.services.interactions.reply(bob, weeknoteUrl, SECOND);
    await reloadUntil(visitor, weeknoteUrl, async () => (await replies(visitor).getByText(SECOND).count()) === 1, "the second reply on A");
    await replies(visitor)
      .getByRole("listitem")
      .filter({ hasText: SECOND })
      .getByRole("link", { name: /^Report the reply from / })
      .click();
    await visitor.waitForURL(/\/reports\/new\?subject=/);
    await audit(visitor, "m03-report-reply");
    await visitor.getByLabel("Spam").check();
    await visitor.getByLabel("Anything the moderators should know").fill("Advertising.");
    await visitor.getByRole("button", { name: "Send report" }).click();
    await visitor.waitForURL(`${a.origin}/reports/new/sent`);

    await alice.goto(`${a.origin}/reports`);
    await audit(alice, "m04-reports");
    await alice.getByLabel("Note").fill("Spam from elsewhere.");
    await alice.getByRole("button", { name: "Hide the reply" }).click();
    await alice.waitForURL(`${a.origin}/reports?done=hide`);
    await audit(alice, "m05-reports-hidden");
    await visitor.goto(weeknoteUrl);
    expect(await replies(visitor).getByText(SECOND).count()).toBe(0);
    expect(await replies(visitor).getByText(FIRST).count()).toBe(1);
  });

  it("blocks the other instance's domain, whose reply then leaves the page, and lists it publicly", async () => {
    const host = new URL(b.origin).host;
    await alice.goto(`${a.origin}/admin/domain-blocks`);
    await alice.getByLabel("Domain", { exact: true }).fill(host);
    await alice.getByLabel("Public reason").fill("Advertising from this server.");
    await alice.getByRole("button", { name: "Block domain" }).click();
    await alice.waitForURL((url) => url.pathname === "/admin/domain-blocks" && url.search.length > 0);
    await audit(alice, "m06-domain-blocked");

    await visitor.goto(weeknoteUrl);
    expect(await replies(visitor).getByText(FIRST).count()).toBe(0);
    await visitor.goto(`${a.origin}/about/blocked-domains`);
    expect(await visitor.getByText("Advertising from this server.").count()).toBe(1);
    await audit(visitor, "m07-about-blocked-domains");
  });

  it("lets the moderator close the community's replies from its moderation page", async () => {
    await alice.goto(`${a.origin}/@team`);
    await alice.getByRole("link", { name: /^Moderation: / }).click();
    await alice.waitForURL(`${a.origin}/@team/moderation`);
    await audit(alice, "m08-community-moderation");
    await alice.getByLabel(REPLY_POLICY_LABELS.closed).check();
    await alice.getByRole("button", { name: "Save who may reply" }).click();
    await alice.waitForURL((url) => url.pathname === "/@team/moderation" && url.search.length > 0);
    await audit(alice, "m09-community-moderation-saved");
    await visitor.goto(weeknoteUrl);
    expect(await visitor.getByText("Replies are closed.").count()).toBe(1);
  });

  it("lets the administrator block a single account elsewhere, with a reason", async () => {
    await alice.goto(`${a.origin}/admin`);
    await alice.getByRole("link", { name: "block or unblock accounts" }).click();
    await alice.getByLabel("Account", { exact: true }).fill("https://elsewhere.example/users/troll");
    await alice.getByLabel("Reason").fill("Harassing the team.");
    await alice.getByRole("button", { name: "Block account" }).click();
    await alice.waitForURL(`${a.origin}/admin/account-blocks?done=blocked`);
    expect(await alice.getByRole("cell", { name: "Harassing the team." }).count()).toBe(1);
    await audit(alice, "m10-account-blocks");
    expect(checked.length).toBe(20);
  });
});
