import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Decision } from "../../src/domain/decisions.ts";
import type { InputOutcome } from "../../src/domain/outcomes.ts";
import type { Actor, RemoteActorInput } from "../../src/domain/types.ts";
import { createServices } from "../../src/services/index.ts";
import { page, type Page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { remoteAccount } from "../helpers/remote-account.ts";
import { countingStore } from "../helpers/counting-store.ts";

type Node = Record<string, any>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  isArray: (name) => ["entry", "link", "author"].includes(name),
});
const HTML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" };
const decodeHtml = (html: string) => html.replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => HTML_ENTITIES[name]!);

const account = remoteAccount;

// Two people on other Connexo instances, two on other servers.
const cleo = account("cleo", "connexo-a.example");
const cai = account("cai", "connexo-b.example");
const mo = account("mo", "mastodon.example");
const mia = account("mia", "misskey.example");
const CONNEXO = new Set([cleo.uri, cai.uri]);

const utc = (iso: string) => Date.parse(iso);

/**
 * The impact pages, checked against records whose figures are worked out by
 * hand below. The instance's clock is set, not run: each step happens at a
 * chosen time, so the days from closing to decision are exact.
 *
 * bins (community):
 *   "Collect bins weekly": closes 1 May 2026 (Q2), decided 4 May 12:00 (3.5 days).
 *     Replies: Alice's note here (informed), Cleo on Connexo (informed), Cai on Connexo (acknowledged),
 *     Mo on Mastodon (not used); Mia's reply was hidden by a moderator (not counted, though it has an outcome).
 *   "Mow the verges": closes 10 June 2026 (Q2), decided 11 June 12:00 (1.5 days). Replies: Mo (no outcome).
 *   "Light the underpass": closes 15 July 2026 (Q3), not decided. Replies: Cleo (referred),
 *     Dora's note here (its outcome taken back: no outcome).
 *   "Paint the benches": proposed, never opened: Cai's reply to it is not counted.
 * parks (community):
 *   "Open the park later": closes 1 August 2026 (Q3), decided 11 August (10 days).
 *     Replies: Mo (acknowledged), Mia (informed), Bob's note here (no outcome).
 *   "Plant more trees": still open when the pages are read (1 September 2026): Mo's reply is not counted yet.
 *
 * bins, 2026-Q2: 2 consultations, 5 replies (1 here, 2 Connexo, 2 other), acknowledged 1, informed 2,
 *   referred 0, not used 1, no outcome 1; share 2/5 = 40%; median of 3.5 and 1.5 = 2.5 days.
 * bins, 2026-Q3: 1 consultation, 2 replies (1 here, 1 Connexo, 0 other), referred 1, no outcome 1; share 0%; median —.
 * bins, all: 3 consultations, 7 replies (2, 3, 2); informed 2: 29%; median of 3.5 and 1.5 = 2.5.
 * parks, 2026-Q3: 1 consultation, 3 replies (1 here, 0 Connexo, 2 other), acknowledged 1, informed 1, no outcome 1; 33%; 10.0.
 * instance, 2026-Q2: as bins.
 * instance, 2026-Q3: 2 consultations, 5 replies (2 here, 1 Connexo, 2 other), acknowledged 1, informed 1, referred 1,
 *   not used 0, no outcome 2; share 1/5 = 20%; median 10.0 (only the park was decided).
 * instance, all: 4 consultations, 10 replies (3, 3, 4); informed 3: 30%; median of 1.5, 3.5 and 10 = 3.5.
 */
describe("public impact pages", () => {
  let instance: RunningInstance;
  let origin: string;
  let time = utc("2026-04-01T09:00:00Z");
  const setClock = (iso: string) => {
    time = utc(iso);
  };
  const records: Record<string, Decision> = {};
  const recordUrl = (key: string) => `${origin}/decisions/${records[key]!.post.id}`;
  const replyUris: Record<string, string> = {};
  let alice: Actor;
  let bob: Actor;
  let dora: Actor;

  const get = async (path: string) => {
    const res = await instance.app.request(`${origin}${path}`);
    return { status: res.status, html: await res.text() };
  };
  const shown = async (path: string): Promise<Page> => {
    const { status, html } = await get(path);
    expect(status, path).toBe(200);
    return page(html);
  };
  const fetchFeed = async (path: string): Promise<Node> => {
    const res = await instance.app.request(`${origin}${path}`);
    expect(res.status, path).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    return (parser.parse(xml) as Node).feed;
  };

  /** A reply from elsewhere to a record, named `key` for the test. */
  async function remoteReply(key: string, record: string, author: RemoteActorInput) {
    const uri = `https://${new URL(author.uri).host}/notes/${key}`;
    replyUris[key] = uri;
    const received = await instance.services.replies.receive({
      uri,
      inReplyTo: recordUrl(record),
      localPostId: records[record]!.post.id,
      author,
      url: uri,
      contentHtml: `<p>${key}</p>`,
      publishedAt: new Date(time),
      updatedAt: null,
      fromConnexo: CONNEXO.has(author.uri),
    });
    expect(received).toMatchObject({ outcome: "accept" });
  }

  /** A note written here answering a record. */
  async function localReply(key: string, record: string, author: Actor) {
    const note = await instance.services.interactions.reply(author, recordUrl(record), `${key}, from here.`);
    replyUris[key] = `${origin}/notes/${note.id}`;
  }

  const outcome = (record: string, reply: string, setAt: string, rest: Pick<InputOutcome, "kind" | "note" | "referral">) =>
    instance.store.outcomes.put({
      decisionId: records[record]!.post.id,
      replyUri: replyUris[reply]!,
      answerNoteId: null,
      setBy: null,
      setAt: new Date(utc(setAt)),
      ...rest,
    });

  /** Proposes a record and opens it for comment until `closes`. */
  async function consult(key: string, community: string, author: Actor, title: string, closes: string) {
    const { decisions } = instance.services;
    const proposed = await decisions.propose(community, author, { title, question: `${title}?`, context: "Residents asked." });
    records[key] = await decisions.open(proposed.post.id, author, { closesAt: new Date(utc(closes)) });
  }

  async function close(key: string, at: string) {
    setClock(at);
    expect(await instance.services.decisions.closeIfDue(records[key]!.post.id, utc(at))).toBe(true);
  }

  async function decide(key: string, author: Actor, at: string, informedBy: { reply: string; note: string }[]) {
    setClock(at);
    records[key] = await instance.services.decisions.decide(records[key]!.post.id, author, {
      decision: "Agreed.",
      rationale: "It helps.",
      deciders: author.handle,
      informedBy: informedBy.map((i) => ({ uri: replyUris[i.reply]!, note: i.note })),
      reason: "Agreed at the meeting.",
    });
  }

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false, now: () => time });
    origin = instance.origin;
    ({ person: alice } = await seedCommunity(instance, { person: "alice", community: "bins" }));
    ({ person: bob } = await seedCommunity(instance, { person: "bob", community: "parks" }));
    dora = await instance.services.actors.createPerson({ handle: "dora", displayName: "Dora Here", password: "a long enough password" });

    // bins, Q2.
    await consult("weekly", "bins", alice, "Collect bins weekly", "2026-05-01T00:00:00Z");
    setClock("2026-04-10T10:00:00Z");
    await localReply("alice-weekly", "weekly", alice);
    await remoteReply("cleo-weekly", "weekly", cleo);
    await remoteReply("cai-weekly", "weekly", cai);
    await remoteReply("mo-weekly", "weekly", mo);
    await remoteReply("mia-weekly", "weekly", mia);
    await instance.services.moderation.hideReply(alice, replyUris["mia-weekly"]!, "Off topic.");
    await close("weekly", "2026-05-01T00:00:00Z");
    await decide("weekly", alice, "2026-05-04T12:00:00Z", [
      { reply: "alice-weekly", note: "Showed the bins overflow on Fridays." },
      { reply: "cleo-weekly", note: "Costed a second lorry." },
    ]);
    await outcome("weekly", "alice-weekly", "2026-05-04T12:01:00Z", { kind: "informed", note: "Showed the overflow.", referral: null });
    await outcome("weekly", "cleo-weekly", "2026-05-04T12:02:00Z", { kind: "informed", note: "Costed a lorry.", referral: null });
    await outcome("weekly", "cai-weekly", "2026-05-04T12:03:00Z", { kind: "acknowledged", note: "", referral: null });
    await outcome("weekly", "mo-weekly", "2026-05-04T12:04:00Z", {
      kind: "not-used",
      note: "It was about another street.",
      referral: null,
    });
    await outcome("weekly", "mia-weekly", "2026-05-04T12:05:00Z", { kind: "informed", note: "Hidden since.", referral: null });

    setClock("2026-05-20T09:00:00Z");
    await consult("verges", "bins", alice, "Mow the verges", "2026-06-10T00:00:00Z");
    await remoteReply("mo-verges", "verges", mo);
    await close("verges", "2026-06-10T00:00:00Z");
    await decide("verges", alice, "2026-06-11T12:00:00Z", []);

    // bins, Q3; and a record never consulted on.
    setClock("2026-07-01T09:00:00Z");
    await consult("underpass", "bins", alice, "Light the underpass", "2026-07-15T00:00:00Z");
    await remoteReply("cleo-underpass", "underpass", cleo);
    await localReply("dora-underpass", "underpass", dora);
    const proposed = await instance.services.decisions.propose("bins", alice, {
      title: "Paint the benches",
      question: "Green?",
      context: "Peeling.",
    });
    records.benches = proposed;
    await remoteReply("cai-benches", "benches", cai);
    await close("underpass", "2026-07-15T00:00:00Z");
    await outcome("underpass", "cleo-underpass", "2026-07-16T00:00:00Z", {
      kind: "referred",
      note: "The council lights underpasses.",
      referral: { target: "lights@council.example", uri: null, name: "The Council's Lighting Team", state: "sent" },
    });
    await outcome("underpass", "dora-underpass", "2026-07-16T01:00:00Z", { kind: null, note: "", referral: null });

    // parks, Q3, and one still open.
    setClock("2026-07-20T09:00:00Z");
    await consult("later", "parks", bob, "Open the park later", "2026-08-01T00:00:00Z");
    await remoteReply("mo-later", "later", mo);
    await remoteReply("mia-later", "later", mia);
    await localReply("bob-later", "later", bob);
    await close("later", "2026-08-01T00:00:00Z");
    await decide("later", bob, "2026-08-11T00:00:00Z", [{ reply: "mia-later", note: "Families with young children." }]);
    await outcome("later", "mia-later", "2026-08-11T00:01:00Z", { kind: "informed", note: "Families.", referral: null });
    await outcome("later", "mo-later", "2026-08-11T00:02:00Z", { kind: "acknowledged", note: "", referral: null });
    await instance.store.outcomes.put({
      decisionId: records.later!.post.id,
      replyUri: replyUris["bob-later"]!,
      kind: null,
      note: "",
      referral: null,
      answerNoteId: null,
      setBy: null,
      setAt: new Date(utc("2026-08-11T00:03:00Z")),
    });

    setClock("2026-08-20T09:00:00Z");
    await consult("trees", "parks", bob, "Plant more trees", "2026-09-30T00:00:00Z");
    await remoteReply("mo-trees", "trees", mo);

    setClock("2026-09-01T09:00:00Z");
  });
  afterAll(() => instance?.stop());

  /** A table row's cells after its heading, as text. */
  const row = (shownPage: Page, table: string, quarter: string) => shownPage.within(`#${table} tr[data-quarter="${quarter}"]`).texts("td");

  it("counts a community's consultations, replies and outcomes per quarter", async () => {
    const bins = await shown("/@bins/impact");
    expect(bins.text("h1")).toBe("What consultations changed: The bins");
    //                                            held, replies, here, Connexo, other, informed, share, median days
    expect(row(bins, "impact-replies", "2026-Q2")).toEqual(["2", "5", "1", "2", "2", "2", "40%", "2.5"]);
    expect(row(bins, "impact-replies", "2026-Q3")).toEqual(["1", "2", "1", "1", "0", "0", "0%", "—"]);
    expect(row(bins, "impact-replies", "all")).toEqual(["3", "7", "2", "3", "2", "2", "29%", "2.5"]);
    //                                            acknowledged, informed, referred, not used, no outcome yet, all
    expect(row(bins, "impact-outcomes", "2026-Q2")).toEqual(["1", "2", "0", "1", "1", "5"]);
    expect(row(bins, "impact-outcomes", "2026-Q3")).toEqual(["0", "0", "1", "0", "1", "2"]);
    expect(bins.count("#impact-replies tbody tr")).toBe(3);

    const parks = await shown("/@parks/impact");
    expect(row(parks, "impact-replies", "2026-Q3")).toEqual(["1", "3", "1", "0", "2", "1", "33%", "10.0"]);
    expect(row(parks, "impact-outcomes", "2026-Q3")).toEqual(["1", "1", "0", "0", "1", "3"]);
    // The consultation still open is not counted: no fourth quarter.
    expect(parks.count('tr[data-quarter="2026-Q4"]')).toBe(0);
    expect(parks.count("#impact-replies tbody tr")).toBe(2);
  });

  it("counts every community's on the instance's page", async () => {
    const all = await shown("/impact");
    expect(row(all, "impact-replies", "2026-Q2")).toEqual(["2", "5", "1", "2", "2", "2", "40%", "2.5"]);
    expect(row(all, "impact-replies", "2026-Q3")).toEqual(["2", "5", "2", "1", "2", "1", "20%", "10.0"]);
    expect(row(all, "impact-replies", "all")).toEqual(["4", "10", "3", "3", "4", "3", "30%", "3.5"]);
    expect(row(all, "impact-outcomes", "2026-Q3")).toEqual(["1", "1", "1", "0", "2", "5"]);
    expect(all.texts("#impact-replies thead th")).toEqual([
      "Quarter",
      "Consultations",
      "Replies received",
      "This instance",
      "Other Connexo instances",
      "Other servers",
      "Informed a decision",
      "Share that informed a decision",
      "Median days from closing to decision",
    ]);
    expect(all.text("#impact-replies caption")).toContain("per quarter");
    expect(all.attrs("#impact-replies tbody th", "scope")).toEqual(["row", "row", "row"]);
    expect(all.text("section.impact-how")).toContain("the quarter (in UTC) in which it closed");
  });

  it("draws the outcomes per quarter as an SVG chart, named for screen readers, with a key and the table beside it", async () => {
    const { html } = await get("/impact");
    const all = page(html);
    const chart = all.one("svg.outcome-chart");
    expect(chart.getAttribute("role")).toBe("img");
    const [titleId, descId] = chart.getAttribute("aria-labelledby")!.split(" ");
    expect(all.text(`svg.outcome-chart title#${titleId}`)).toBe("Outcomes of replies to consultations, per quarter");
    expect(all.text(`svg.outcome-chart desc#${descId}`)).toContain("from April to June 2026 to July to September 2026");
    // One segment for each outcome a quarter has, each with its title: Q2 has four kinds, Q3 four.
    const segments = all.texts("svg.outcome-chart rect > title");
    expect(segments).toContain("April to June 2026: Informed the decision, 2");
    expect(segments).toContain("July to September 2026: No outcome yet, 2");
    expect(segments).toHaveLength(8);
    expect(all.texts(".impact-legend li")).toEqual(["Acknowledged", "Informed the decision", "Referred", "Not used", "No outcome yet"]);
    expect(all.one(".impact-chart").querySelector("table#impact-outcomes")).not.toBeNull();
    // The CSP allows no inline style: the chart is drawn with attributes.
    expect(html).not.toMatch(/style="/);
    expect(all.one("#impact-replies").parentNode?.getAttribute("class")).toBe("table-scroll");
  });

  it("lists the decisions with the input that shaped them, newest quarter first", async () => {
    const all = await shown("/impact");
    const decided = all.within('section[aria-labelledby="impact-decisions-title"]');
    expect(decided.texts("h3")).toEqual([
      "Consultations closed in July to September 2026 (2026-Q3)",
      "Consultations closed in April to June 2026 (2026-Q2)",
    ]);
    expect(decided.texts(".impact-record")).toEqual([
      "Open the park later in The parks",
      "Collect bins weekly in The bins",
      "Mow the verges in The bins",
    ]);
    expect(decided.attr(".impact-record a", "href")).toBe(`/decisions/${records.later!.post.id}`);
    const weekly = decided.within(".impact-decisions > li", "Collect bins weekly");
    expect(weekly.text()).toContain("3.5 days after the consultation closed");
    expect(weekly.texts(".impact-input li")).toEqual([
      "alice Example: Showed the bins overflow on Fridays.",
      "cleo Elsewhere: Costed a second lorry.",
    ]);
    expect(weekly.attrs(".impact-input a", "href")).toEqual([replyUris["alice-weekly"], replyUris["cleo-weekly"]]);
    expect(decided.within(".impact-decisions > li", "Mow the verges").text()).toContain("No input is cited");
  });

  it("serves the outcomes as an Atom feed, newest first, of the instance or a community", async () => {
    const feed = await fetchFeed("/impact/outcomes.atom");
    expect(feed.id).toBe(`${origin}/impact/outcomes.atom`);
    const entries: Node[] = feed.entry ?? [];
    // Taken back (no kind) and hidden replies' outcomes are left out.
    expect(entries.map((e) => decodeHtml(e.title["#text"]))).toEqual([
      "Acknowledged: Open the park later",
      "Informed the decision: Open the park later",
      "Referred: Light the underpass",
      "Not used: Collect bins weekly",
      "Acknowledged: Collect bins weekly",
      "Informed the decision: Collect bins weekly",
      "Informed the decision: Collect bins weekly",
    ]);
    const referred = entries[2]!;
    expect(referred.id).toMatch(new RegExp(`^${recordUrl("underpass")}#outcome-[0-9a-f]{32}$`));
    expect(referred.updated).toBe("2026-07-16T00:00:00.000Z");
    expect(referred.author[0].name).toBe("The bins");
    const content = decodeHtml(referred.content["#text"]);
    expect(content).toContain("cleo Elsewhere");
    expect(content).toContain("referred to The Council's Lighting Team");
    expect(content).toContain(`href="${recordUrl("underpass")}"`);
    // An entry's id stays the same when read again.
    const again = await fetchFeed("/impact/outcomes.atom");
    expect(again.entry.map((e: Node) => e.id)).toEqual(entries.map((e) => e.id));

    const bins = await fetchFeed("/@bins/impact/outcomes.atom");
    expect(bins.entry.map((e: Node) => decodeHtml(e.title["#text"]))).toEqual([
      "Referred: Light the underpass",
      "Not used: Collect bins weekly",
      "Acknowledged: Collect bins weekly",
      "Informed the decision: Collect bins weekly",
      "Informed the decision: Collect bins weekly",
    ]);
    const link = (await shown("/@bins/impact")).attr('link[rel="alternate"][type="application/atom+xml"]', "href");
    expect(link).toBe("/@bins/impact/outcomes.atom");
  });

  it("links to the pages from the registers and the footer", async () => {
    expect((await shown("/@bins/decisions")).attrs('a[href="/@bins/impact"]', "href")).toHaveLength(1);
    expect((await shown("/")).attrs('footer a[href="/impact"]', "href")).toHaveLength(1);
  });

  it("answers 404 for anyone but a community", async () => {
    for (const path of ["/@nobody/impact", "/@alice/impact", "/@nobody/impact/outcomes.atom", "/@alice/impact/outcomes.atom"]) {
      expect((await get(path)).status, path).toBe(404);
    }
  });
});

describe("what an impact page costs", () => {
  let instance: RunningInstance;
  let time = utc("2026-04-01T09:00:00Z");
  afterAll(() => instance?.stop());

  it("is the same number of queries however many records and replies it counts", async () => {
    instance = await startInstance({}, { serve: false, worker: false, now: () => time });
    const { person: alice } = await seedCommunity(instance, { person: "alice", community: "bins" });
    const counting = countingStore(instance.store);
    const services = createServices(counting.store, { origin: instance.origin, now: () => time });
    const costs: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (let n = 0; n <= round; n++) {
        const record = await instance.services.decisions.propose("bins", alice, { title: `R${round}-${n}`, question: "Q?", context: "C." });
        await instance.services.decisions.open(record.post.id, alice, { closesAt: new Date(time + 60_000) });
        await instance.services.replies.receive({
          uri: `https://elsewhere.example/notes/${record.post.id}`,
          inReplyTo: `${instance.origin}/decisions/${record.post.id}`,
          localPostId: record.post.id,
          author: account(`r${round}x${n}`, "elsewhere.example"),
          url: null,
          contentHtml: "<p>Yes.</p>",
          publishedAt: new Date(time),
          updatedAt: null,
        });
        await instance.services.interactions.reply(alice, `${instance.origin}/decisions/${record.post.id}`, "From here.");
      }
      time += 120_000;
      costs.push(await counting.cost(() => services.impact.page(null)));
      costs.push(await counting.cost(() => services.impact.latestOutcomes(null, 50)));
    }
    expect(costs).toEqual([5, 1, 5, 1, 5, 1]);
  });
});
