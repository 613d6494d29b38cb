import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "../../src/domain/types.ts";
import type { DecisionText } from "../../src/services/decisions.ts";
import { page, visibleText } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const text = (title: string, tags: string): DecisionText => ({
  title,
  question: `Should we ${title.toLowerCase()}?`,
  context: "Some background.",
  tags,
});

/** The titles of the records listed as results (not those elsewhere on the page), in order. */
function resultTitles(html: string): string[] {
  const shown = page(html);
  const results = 'section[aria-labelledby="results-title"]';
  if (shown.count(results) === 0) return [];
  return shown
    .within(results)
    .all("h3 > a")
    .filter((link) => /^\/decisions\/[0-9a-f-]{36}$/.test(link.getAttribute("href") ?? ""))
    .map(visibleText);
}

/** "4 records": the heading that counts what the filter matches. */
const resultCount = (html: string) => /^(\d+) records?$/.exec(page(html).text("h2#results-title"))?.[1];

/** The links that count the records of each status, as "Decided (1)". */
const statusCounts = (html: string) => page(html).texts('section[aria-labelledby="counts-title"] a');

describe("decision registers", () => {
  let instance: RunningInstance;
  let web: WebClient;
  let alice: Actor;

  /** Proposes a record as if at this moment: the register's dates filter the day a record was proposed, in the instance's zone (Europe/London). */
  async function proposeAt(iso: string, community: string, author: Actor, input: DecisionText) {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(iso));
    try {
      return await instance.services.decisions.propose(community, author, input);
    } finally {
      vi.useRealTimers();
    }
  }

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    web = new WebClient(instance, instance.origin);
    ({ person: alice } = await seedCommunity(instance, { person: "alice", community: "bins" }));
    const { person: bob } = await seedCommunity(instance, { person: "bob", community: "parks" });
    const { decisions } = instance.services;

    await proposeAt("2026-03-10T12:00:00Z", "bins", alice, text("Buy new lorries", "bins, budget"));
    // 23:30 on 31 March in London (BST): the last hour of that day there.
    const weekly = await proposeAt("2026-03-31T22:30:00Z", "bins", alice, text("Collect weekly", "bins"));
    await decisions.open(weekly.post.id, alice, { closesAt: new Date(Date.now() + 86_400_000) });
    const mowing = await proposeAt("2026-04-01T00:30:00Z", "parks", bob, text("Mow less often", "budget, grass"));
    await decisions.decide(mowing.post.id, bob, { decision: "We mow monthly.", rationale: "Wildflowers.", deciders: "bob" });
    const fountain = await proposeAt("2026-02-01T09:00:00Z", "parks", bob, text("Fix the fountain", "water"));
    await decisions.withdraw(fountain.post.id, bob, { reason: "Already fixed." });
  });
  afterAll(() => instance?.stop());

  it("lists every record with its status, community, summary, key date and tags, counted by status", async () => {
    const res = await web.get("/decisions");
    expect(res.status).toBe(200);
    const html = web.lastHtml;
    expect(resultTitles(html).sort()).toEqual(["Buy new lorries", "Collect weekly", "Fix the fountain", "Mow less often"]);
    expect(resultCount(html)).toBe("4");
    expect(statusCounts(html)).toEqual([
      "Any status (4)",
      "Proposed (1)",
      "Open for comment (1)",
      "Comments closed (0)",
      "Decided (1)",
      "Superseded (0)",
      "Withdrawn (1)",
    ]);
    const shown = page(html);
    expect(shown.text('a[href="/decisions?status=open"]')).toBe("Open for comment (1)");
    const record = (title: string) => shown.within(".decision-list > li", title);
    expect(record("Collect weekly").text("p.meta strong.status.status-open")).toBe("Open for comment");
    expect(record("Mow less often").text('p.meta a[href="/@parks"]')).toBe("The parks");
    expect(record("Mow less often").text("p.meta")).toContain("· in The parks ·");
    expect(shown.text()).toContain("Proposed decision: Should we buy new lorries?");
    expect(record("Mow less often").text("p.meta")).toMatch(/· Decided \d+ \w+ 2026$/);
    expect(record("Mow less often").attr("p.meta time", "datetime")).toMatch(/^2026-/);
    expect(record("Collect weekly").text("p.meta")).toMatch(/· Closes .+ (GMT|BST)$/);
    expect(record("Collect weekly").attr("p.meta time", "datetime")).not.toBeNull();
    expect(shown.texts('a.tag[href="/decisions?tag=budget"]')).toContain("#budget");
    const feed = shown.one('head link[rel="alternate"][type="application/atom+xml"]');
    expect(feed.getAttribute("title")).toMatch(/^Decisions on/);
    expect(feed.getAttribute("href")).toBe("/decisions/feed.atom");
    // The filter form works without scripts: a plain GET form with every filter.
    const filter = shown.within('form[method="get"][action="/decisions"]');
    for (const name of ["status", "community", "tag", "from", "to"]) expect(filter.count(`[name="${name}"]`), name).toBe(1);
  });

  it("narrows the list by status, keeping the counts of the other statuses", async () => {
    await web.get("/decisions?status=open");
    expect(resultTitles(web.lastHtml)).toEqual(["Collect weekly"]);
    expect(resultCount(web.lastHtml)).toBe("1");
    expect(statusCounts(web.lastHtml)).toContain("Decided (1)");
    const shown = page(web.lastHtml);
    expect(shown.texts('a[aria-current="true"]')).toEqual(["Open for comment (1)"]);
    expect(shown.text('option[value="open"][selected]')).toBe("Open for comment");
  });

  it("narrows the list by community, and the status links keep that filter", async () => {
    await web.get("/decisions?community=parks");
    expect(resultTitles(web.lastHtml).sort()).toEqual(["Fix the fountain", "Mow less often"]);
    expect(statusCounts(web.lastHtml)).toContain("Proposed (0)");
    expect(page(web.lastHtml).text('a[href="/decisions?status=decided&community=parks"]')).toBe("Decided (1)");
  });

  it("narrows the list by tag, with or without #, in any case", async () => {
    await web.get("/decisions?tag=budget");
    expect(resultTitles(web.lastHtml).sort()).toEqual(["Buy new lorries", "Mow less often"]);
    await web.get(`/decisions?tag=${encodeURIComponent("#BUDGET")}&status=decided`);
    expect(resultTitles(web.lastHtml)).toEqual(["Mow less often"]);
    expect(statusCounts(web.lastHtml)).toContain("Proposed (1)");
  });

  it("narrows the list by the day proposed, both days included", async () => {
    await web.get("/decisions?from=2026-03-31");
    expect(resultTitles(web.lastHtml).sort()).toEqual(["Collect weekly", "Mow less often"]);
    await web.get("/decisions?to=2026-03-31");
    expect(resultTitles(web.lastHtml).sort()).toEqual(["Buy new lorries", "Collect weekly", "Fix the fountain"]);
    await web.get("/decisions?from=2026-03-01&to=2026-03-31");
    expect(resultTitles(web.lastHtml).sort()).toEqual(["Buy new lorries", "Collect weekly"]);
    expect(page(web.lastHtml).value('input[name="from"]')).toBe("01/03/2026");
    // Day first, as people in the UK write it, with slashes, dashes or dots.
    await web.get("/decisions?from=1/3/2026&to=31-03-2026");
    expect(resultTitles(web.lastHtml).sort()).toEqual(["Buy new lorries", "Collect weekly"]);
    expect(page(web.lastHtml).value('input[name="to"]')).toBe("31/03/2026");
    await web.get("/decisions?from=2026-05-01");
    expect(resultTitles(web.lastHtml)).toEqual([]);
    expect(page(web.lastHtml).text()).toContain("No records match this filter.");
  });

  it("answers a filter it cannot use with 400 and says what is wrong, keeping what was typed", async () => {
    const cases: [string, string, string][] = [
      ["status=finished", "status", "Status: choose a status from the list"],
      ["community=nowhere", "community", "Community: choose a community from the list"],
      ["tag=two%20tags", "tag", "Tag: one tag, of letters, digits and _"],
      ["from=2026-02-30", "from", "Proposed on or after: a date such as 31/03/2026"],
      ["to=yesterday", "to", "Proposed on or before: a date such as 31/03/2026"],
      ["from=2026-04-02&to=2026-04-01", "to", "Proposed on or before: the same day as the first date, or later"],
    ];
    for (const [search, field, message] of cases) {
      const res = await web.get(`/decisions?${search}`);
      expect(res.status, search).toBe(400);
      const shown = page(web.lastHtml);
      expect(shown.text(".error-summary h2"), search).toBe("There is a problem");
      expect(shown.text(`.error-summary a[href="#${field}"]`), search).toBe(message);
      expect(shown.count(`#${field}-error`), search).toBe(1);
      expect(resultTitles(web.lastHtml)).toEqual([]);
    }
    await web.get("/decisions?tag=two%20tags");
    expect(page(web.lastHtml).value('input[name="tag"]')).toBe("two tags");
  });

  it("has a register for each community, without the community filter, and none for anyone else", async () => {
    const res = await web.get("/@parks/decisions");
    expect(res.status).toBe(200);
    expect(resultTitles(web.lastHtml).sort()).toEqual(["Fix the fountain", "Mow less often"]);
    const register = page(web.lastHtml);
    expect(register.text("h1")).toBe("Decisions in The parks");
    expect(register.count('[name="community"]')).toBe(0);
    expect(register.count('[href="/@parks/decisions/feed.atom"]')).toBeGreaterThan(0);
    expect(register.text('a[href="/@parks/decisions?status=withdrawn"]')).toBe("Withdrawn (1)");
    await web.get("/@parks/decisions?status=withdrawn");
    expect(resultTitles(web.lastHtml)).toEqual(["Fix the fountain"]);
    expect((await web.get("/@parks/decisions?status=nope")).status).toBe(400);
    expect((await web.get("/@nobody/decisions")).status).toBe(404);
    expect((await web.get("/@alice/decisions")).status).toBe(404);
  });

  it("pages through long lists, keeping the filter", async () => {
    const { person: carol } = await seedCommunity(instance, { person: "carol", community: "many" });
    for (let i = 1; i <= 21; i++) await instance.services.decisions.propose("many", carol, text(`Item ${i}`, "lots"));
    await web.get("/@many/decisions?tag=lots");
    expect(resultTitles(web.lastHtml)).toHaveLength(20);
    expect(resultCount(web.lastHtml)).toBe("21");
    const first = page(web.lastHtml);
    expect(first.attr('a[rel="next"]', "href")).toBe("/@many/decisions?tag=lots&page=2");
    expect(first.text('a[rel="next"]')).toBe("Next page");
    expect(first.text()).not.toContain("Previous page");
    await web.get("/@many/decisions?tag=lots&page=2");
    expect(resultTitles(web.lastHtml)).toEqual(["Item 1"]);
    const second = page(web.lastHtml);
    expect(second.attr('a[rel="prev"]', "href")).toBe("/@many/decisions?tag=lots");
    expect(second.text('a[rel="prev"]')).toBe("Previous page");
    expect(second.text()).not.toContain("Next page");
  });

  it("shows the latest records on the home page and on the community's page, with links to the registers", async () => {
    await web.get("/");
    const home = page(web.lastHtml);
    expect(home.text("h2#decisions-title")).toBe("Latest decisions");
    expect(home.texts('a[href="/decisions"]')).toContain("All decision records");
    expect(home.texts("a")).toContain("Item 21");

    await web.get("/@parks");
    const parks = page(web.lastHtml);
    expect(parks.texts('a[href="/@parks/decisions"]')).toContain("All decisions in The parks");
    expect(parks.texts("a")).toContain("Mow less often");
    expect(parks.texts("strong.status.status-decided")).toContain("Decided");
    expect(parks.texts("a")).not.toContain("Buy new lorries");
    // Only people who may publish there are offered to record one.
    expect(parks.count('[href="/decisions/new?community=parks"]')).toBe(0);
    await web.signIn("bob", "a long enough password");
    await web.get("/@parks");
    expect(page(web.lastHtml).text('a[class="button button-secondary"][href="/decisions/new?community=parks"]')).toBe("Record a decision");
    await web.get("/@bins");
    expect(page(web.lastHtml).count('[href="/decisions/new?community=bins"]')).toBe(0);

    // A person's page lists the records they proposed, as records, not as weeknotes.
    await web.get("/@alice");
    const person = page(web.lastHtml);
    expect(person.text("h2#decisions-title")).toBe("Decisions proposed");
    const links = person
      .all("a")
      .filter((link) => visibleText(link) === "Collect weekly")
      .map((link) => link.getAttribute("href"));
    expect(links).toContainEqual(expect.stringMatching(/^\/decisions\/[0-9a-f-]{36}$/));
    expect(links).not.toContainEqual(expect.stringMatching(/^\/posts\//));
  });
});

describe("a register's counts between commits", () => {
  let instance: RunningInstance;
  let web: WebClient;
  let alice: Actor;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    web = new WebClient(instance, instance.origin);
    ({ person: alice } = await seedCommunity(instance, { person: "alice", community: "bins" }));
    await instance.services.decisions.propose("bins", alice, text("Buy new lorries", "bins"));
  });
  afterAll(() => instance?.stop());

  /** How many times the register's counting query ran (SQLite: the statements run on either connection). */
  async function countingQueriesDuring(work: () => Promise<unknown>): Promise<number> {
    if (instance.database.kind !== "sqlite") return NaN;
    const statement = Object.getPrototypeOf(instance.database.readerSqlite.prepare("SELECT 1")) as { all: (...args: unknown[]) => unknown };
    const all = statement.all;
    let n = 0;
    statement.all = function (this: { source: string }, ...args: unknown[]) {
      if (this.source.includes("count(*)") && this.source.includes('"decisions"')) n++;
      return all.apply(this, args);
    };
    try {
      await work();
    } finally {
      statement.all = all;
    }
    return n;
  }

  it("reads the register again (its records and counts) once anything is committed, and only then", async () => {
    await web.get("/decisions");
    expect(statusCounts(web.lastHtml)).toContain("Proposed (1)");
    const again = await countingQueriesDuring(() => web.get("/decisions"));
    expect(statusCounts(web.lastHtml)).toContain("Proposed (1)");
    // On SQLite the page is kept while nothing is committed; PostgreSQL reads it every time.
    if (instance.database.kind === "sqlite") expect(again).toBe(0);

    await instance.services.decisions.propose("bins", alice, text("Collect weekly", "bins"));
    await web.get("/decisions");
    expect(statusCounts(web.lastHtml)).toContain("Proposed (2)");
    expect(resultTitles(web.lastHtml)).toContain("Collect weekly");

    // A commit on another connection than the one reading (here the writing one, bypassing the services) counts too, as another process's would.
    if (instance.database.kind === "sqlite") {
      instance.database.sqlite.prepare("UPDATE decisions SET status = 'withdrawn' WHERE question = ?").run("Should we collect weekly?");
      await web.get("/decisions");
      expect(statusCounts(web.lastHtml)).toEqual(expect.arrayContaining(["Proposed (1)", "Withdrawn (1)"]));
    }
  });
});
