import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { auditAtTwoWidths, launchChromium, reloadUntil, signInAs } from "./chromium.ts";

const PASSWORD = "a long enough password";
const TITLE = "Week 49: sharing the bins dataset";

/**
 * A community with a member on another server, in real Chromium: Alice, an
 * administrator of the team on A, invites Bob from B; Bob sees the invitation
 * on his home page and accepts it; he publishes a weeknote in the team from
 * B, which shows on the team's page at A; then he leaves. Every page on the
 * way passes axe-core (WCAG 2.2 A and AA), at full width and at 320 px.
 */
describe("communities across servers in Chromium", () => {
  let a: RunningInstance;
  let b: RunningInstance;
  let browser: Browser;
  let aliceContext: BrowserContext;
  let bobContext: BrowserContext;
  let alice: Page;
  let bob: Page;
  const checked: string[] = [];

  const audit = (page: Page, name: string) => auditAtTwoWidths(page, name, checked);
  const signIn = (page: Page, instance: RunningInstance, handle: string) => signInAs(page, instance, handle, PASSWORD);

  /** Bob's row in the team's table of people elsewhere. */
  const bobRow = () => alice.getByRole("row").filter({ hasText: "bob Example" });

  beforeAll(async () => {
    [a, b] = await Promise.all([startInstance(), startInstance()]);
    await Promise.all([seedCommunity(a, { person: "alice", community: "team" }), seedCommunity(b, { person: "bob", community: "unit" })]);
    browser = await launchChromium();
    aliceContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    bobContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    alice = await aliceContext.newPage();
    bob = await bobContext.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("lets a community administrator invite someone on another server", async () => {
    await signIn(alice, a, "alice");
    await alice.goto(`${a.origin}/@team/members`);
    await alice.getByLabel("Their handle").fill(`${b.origin}/@bob`);
    await alice.getByLabel("Member", { exact: true }).check();
    await alice.getByRole("button", { name: "Add member" }).click();
    await alice.waitForURL((url) => url.pathname === "/@team/members");
    await reloadUntil(
      alice,
      `${a.origin}/@team/members`,
      async () => (await bobRow().filter({ hasText: "Invited as member" }).count()) === 1,
      "Bob to be looked up and invited",
    );
    await audit(alice, "c01-members-invited");
  });

  it("shows the invitation on the invited person's home page, where they accept it", async () => {
    await signIn(bob, b, "bob");
    await reloadUntil(bob, `${b.origin}/`, async () => (await bob.locator("#invitations-notice").count()) === 1, "the invitation on B");
    expect(await bob.getByRole("link", { name: "You have 1 invitation to join a community" }).count()).toBe(1);
    await audit(bob, "c02-home-invitation");
    await bob.getByRole("link", { name: "You have 1 invitation to join a community" }).click();
    await bob.waitForURL(`${b.origin}/memberships`);
    await audit(bob, "c03-memberships-invited");
    await bob.getByRole("button", { name: "Accept The team" }).click();
    await bob.waitForURL(`${b.origin}/memberships?done=accepted`);
    const memberships = bob.getByRole("region", { name: "Your memberships" });
    expect(await memberships.getByRole("link", { name: "The team" }).count()).toBe(1);
    expect(await memberships.getByText("Your role: Member").count()).toBe(1);
    await audit(bob, "c04-memberships-accepted");
  });

  it("shows the new member on the community's members page", async () => {
    await reloadUntil(
      alice,
      `${a.origin}/@team/members`,
      async () => (await bobRow().filter({ hasText: "Active member" }).count()) === 1,
      "Bob to be a member on A",
    );
    expect(await alice.getByLabel("Role of bob Example").inputValue()).toBe("member");
    await audit(alice, "c05-members-active");
    await alice.goto(`${a.origin}/communities`);
    await audit(alice, "c06-communities");
  });

  it("lets the member publish in the community from their own server", async () => {
    await bob.goto(`${b.origin}/compose`);
    const team = `The team (${await a.services.setup.instanceName()})`;
    await bob.getByLabel("Community").selectOption({ label: team });
    await bob.getByLabel("Title").fill(TITLE);
    await bob.getByLabel("Summary").fill("We published the bins dataset for every street.");
    await bob.getByLabel("Body").fill("Collection days for every street, as **open data**.");
    await bob.getByRole("button", { name: "Publish" }).click();
    await bob.waitForURL(/\/posts\/[0-9a-f-]+\?done=published$/);
    await reloadUntil(
      alice,
      `${a.origin}/@team`,
      async () => (await alice.getByRole("region", { name: "From members elsewhere" }).getByRole("link", { name: TITLE }).count()) === 1,
      "the weeknote on the team's page at A",
    );
    await audit(alice, "c07-community-with-member-post");
  });

  it("lets the member leave", async () => {
    await bob.goto(`${b.origin}/memberships`);
    await bob.getByRole("button", { name: "Leave The team" }).click();
    await bob.waitForURL(`${b.origin}/memberships?done=left`);
    expect(await bob.getByText("You are not a member of any community elsewhere yet.").count()).toBe(1);
    await reloadUntil(alice, `${a.origin}/@team/members`, async () => (await bobRow().count()) === 0, "Bob to be gone from A");
    expect(checked.length).toBe(14);
  });
});
