import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "../../src/domain/types.ts";
import type { DecisionText } from "../../src/services/decisions.ts";
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
  const results = html.split('id="results-title"')[1] ?? "";
  return [...results.matchAll(/<h3><a href="\/decisions\/[0-9a-f-]{36}">([^<]*)<\/a><\/h3>/g)].map((m) => m[1]!);
}

/** "4 records": the heading that counts what the filter matches. */
const resultCount = (html: string) => /id="results-title">(\d+) records?</.exec(html)?.[1];

describe("decision registers", () => {
  let instance: RunningInstance;
  let web: WebClient;
  let alice: Actor;

  /** Proposes a record as if on this day and time (UTC): the register's dates filter the day a record was proposed. */
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
    const weekly = await proposeAt("2026-03-31T23:30:00Z", "bins", alice, text("Collect weekly", "bins"));
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
    for (const count of [
      "Any status (4)",
      "Proposed (1)",
      "Open for comment (1)",
      "Comments closed (0)",
      "Decided (1)",
      "Superseded (0)",
      "Withdrawn (1)",
    ]) {
      expect(html).toContain(`${count}</a>`);
    }
    expect(html).toContain('<a href="/decisions?status=open">Open for comment (1)</a>');
    expect(html).toContain('<strong class="status status-open">Open for comment</strong>');
    expect(html).toContain('in <a href="/@parks">The parks</a>');
    expect(html).toContain("Proposed decision: Should we buy new lorries?");
    expect(html).toMatch(/Decided <time datetime="[^"]+">\d+ \w+ 2026<\/time>/);
    expect(html).toMatch(/Closes <time datetime="[^"]+">[^<]+ UTC<\/time>/);
    expect(html).toContain('<a class="tag" href="/decisions?tag=budget">#budget</a>');
    expect(html).toContain('<link rel="alternate" type="application/atom+xml" title="Decisions on');
    expect(html).toContain('href="/decisions/feed.atom"');
    // The filter form works without scripts: a plain GET form with every filter.
    expect(html).toContain('<form method="get" action="/decisions"');
    for (const name of ["status", "community", "tag", "from", "to"]) expect(html).toContain(`name="${name}"`);
  });

  it("narrows the list by status, keeping the counts of the other statuses", async () => {
    await web.get("/decisions?status=open");
    expect(resultTitles(web.lastHtml)).toEqual(["Collect weekly"]);
    expect(resultCount(web.lastHtml)).toBe("1");
    expect(web.lastHtml).toContain("Decided (1)</a>");
    expect(web.lastHtml).toContain('aria-current="true">Open for comment (1)</a>');
    expect(web.lastHtml).toMatch(/<option value="open" selected(="")?>Open for comment<\/option>/);
  });

  it("narrows the list by community, and the status links keep that filter", async () => {
    await web.get("/decisions?community=parks");
    expect(resultTitles(web.lastHtml).sort()).toEqual(["Fix the fountain", "Mow less often"]);
    expect(web.lastHtml).toContain("Proposed (0)</a>");
    expect(web.lastHtml).toContain('<a href="/decisions?status=decided&amp;community=parks">Decided (1)</a>');
  });

  it("narrows the list by tag, with or without #, in any case", async () => {
    await web.get("/decisions?tag=budget");
    expect(resultTitles(web.lastHtml).sort()).toEqual(["Buy new lorries", "Mow less often"]);
    await web.get(`/decisions?tag=${encodeURIComponent("#BUDGET")}&status=decided`);
    expect(resultTitles(web.lastHtml)).toEqual(["Mow less often"]);
    expect(web.lastHtml).toContain("Proposed (1)</a>");
  });

  it("narrows the list by the day proposed, both days included", async () => {
    await web.get("/decisions?from=2026-03-31");
    expect(resultTitles(web.lastHtml).sort()).toEqual(["Collect weekly", "Mow less often"]);
    await web.get("/decisions?to=2026-03-31");
    expect(resultTitles(web.lastHtml).sort()).toEqual(["Buy new lorries", "Collect weekly", "Fix the fountain"]);
    await web.get("/decisions?from=2026-03-01&to=2026-03-31");
    expect(resultTitles(web.lastHtml).sort()).toEqual(["Buy new lorries", "Collect weekly"]);
    expect(web.lastHtml).toContain('value="2026-03-01"');
    await web.get("/decisions?from=2026-05-01");
    expect(resultTitles(web.lastHtml)).toEqual([]);
    expect(web.lastHtml).toContain("No records match this filter.");
  });

  it("answers a filter it cannot use with 400 and says what is wrong, keeping what was typed", async () => {
    const cases: [string, string, string][] = [
      ["status=finished", "status", "Status: choose a status from the list"],
      ["community=nowhere", "community", "Community: choose a community from the list"],
      ["tag=two%20tags", "tag", "Tag: one tag, of letters, digits and _"],
      ["from=2026-02-30", "from", "Proposed on or after: a date such as 2026-03-31"],
      ["to=yesterday", "to", "Proposed on or before: a date such as 2026-03-31"],
      ["from=2026-04-02&to=2026-04-01", "to", "Proposed on or before: the same day as the first date, or later"],
    ];
    for (const [search, field, message] of cases) {
      const res = await web.get(`/decisions?${search}`);
      expect(res.status, search).toBe(400);
      expect(web.lastHtml).toContain("There is a problem");
      expect(web.lastHtml).toContain(`<a href="#${field}">${message}</a>`);
      expect(web.lastHtml).toContain(`id="${field}-error"`);
      expect(resultTitles(web.lastHtml)).toEqual([]);
    }
    await web.get("/decisions?tag=two%20tags");
    expect(web.lastHtml).toContain('value="two tags"');
  });

  it("has a register for each community, without the community filter, and none for anyone else", async () => {
    const res = await web.get("/@parks/decisions");
    expect(res.status).toBe(200);
    expect(resultTitles(web.lastHtml).sort()).toEqual(["Fix the fountain", "Mow less often"]);
    expect(web.lastHtml).toContain("<h1>Decisions in The parks</h1>");
    expect(web.lastHtml).not.toContain('name="community"');
    expect(web.lastHtml).toContain('href="/@parks/decisions/feed.atom"');
    expect(web.lastHtml).toContain('<a href="/@parks/decisions?status=withdrawn">Withdrawn (1)</a>');
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
    expect(web.lastHtml).toContain('<a href="/@many/decisions?tag=lots&amp;page=2" rel="next">Next page</a>');
    expect(web.lastHtml).not.toContain("Previous page");
    await web.get("/@many/decisions?tag=lots&page=2");
    expect(resultTitles(web.lastHtml)).toEqual(["Item 1"]);
    expect(web.lastHtml).toContain('<a href="/@many/decisions?tag=lots" rel="prev">Previous page</a>');
    expect(web.lastHtml).not.toContain("Next page");
  });

  it("shows the latest records on the home page and on the community's page, with links to the registers", async () => {
    await web.get("/");
    expect(web.lastHtml).toContain('<h2 id="decisions-title">Latest decisions</h2>');
    expect(web.lastHtml).toContain('<a href="/decisions">All decision records</a>');
    expect(web.lastHtml).toContain(">Item 21</a>");

    await web.get("/@parks");
    const html = web.lastHtml;
    expect(html).toContain('<a href="/@parks/decisions">All decisions in The parks</a>');
    expect(html).toContain(">Mow less often</a>");
    expect(html).toContain('<strong class="status status-decided">Decided</strong>');
    expect(html).not.toContain(">Buy new lorries</a>");
    // Only people who may publish there are offered to record one.
    expect(html).not.toContain("/decisions/new?community=parks");
    await web.signIn("bob", "a long enough password");
    await web.get("/@parks");
    expect(web.lastHtml).toContain('<a class="button button-secondary" href="/decisions/new?community=parks">Record a decision</a>');
    await web.get("/@bins");
    expect(web.lastHtml).not.toContain("/decisions/new?community=bins");

    // A person's page lists the records they proposed, as records, not as weeknotes.
    await web.get("/@alice");
    expect(web.lastHtml).toContain('<h2 id="decisions-title">Decisions proposed</h2>');
    expect(web.lastHtml).toMatch(/<a href="\/decisions\/[0-9a-f-]{36}">Collect weekly<\/a>/);
    expect(web.lastHtml).not.toMatch(/<a href="\/posts\/[0-9a-f-]{36}">Collect weekly<\/a>/);
  });
});
