import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Decision, DecisionHistoryEntry } from "../../src/domain/decisions.ts";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

type Node = Record<string, any>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  isArray: (name) => ["entry", "link", "category", "author"].includes(name),
});

/** Undoes HTML escaping, for Atom text constructs of type "html" that carry plain text. */
const HTML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" };
const decodeHtml = (html: string) => html.replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => HTML_ENTITIES[name]!);

const TITLE = "Bins & <recycling> weekly";

describe("Atom feeds of decision records", () => {
  let instance: RunningInstance;
  let origin: string;
  let bins: Decision;
  let parks: Decision;
  let history: DecisionHistoryEntry[];

  const fetchFeed = async (path: string): Promise<Node> => {
    const res = await instance.app.request(`${origin}${path}`);
    expect(res.status, path).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    return (parser.parse(xml) as Node).feed;
  };
  const entries = (feed: Node): Node[] => feed.entry ?? [];
  const titles = (feed: Node) => entries(feed).map((e) => decodeHtml(e.title["#text"]));
  const recordUrl = (d: Decision) => `${origin}/decisions/${d.post.id}`;

  beforeAll(async () => {
    // The instance's clock runs with real time, and the test moves it on: each change a minute after the one
    // before, so "newest first" has one right answer, and past the consultation's closing time.
    let ahead = 0;
    const now = () => Date.now() + ahead;
    const later = (ms = 60_000) => {
      ahead += ms;
    };
    instance = await startInstance({}, { serve: false, worker: false, now });
    origin = instance.origin;
    const { person: alice } = await seedCommunity(instance, { person: "alice", community: "bins" });
    const { person: bob } = await seedCommunity(instance, { person: "bob", community: "parks" });
    const { decisions } = instance.services;
    parks = await decisions.propose("parks", bob, { title: "Mow less", question: "Mow monthly?", context: "Wildflowers.", tags: "grass" });
    later();
    const proposed = await decisions.propose("bins", alice, {
      title: TITLE,
      question: "Collect weekly?",
      context: "Bins overflow.",
      tags: "bins",
    });
    later();
    const closesAt = new Date(now() + 300);
    await decisions.open(proposed.post.id, alice, { closesAt, reason: "Residents asked." });
    later(400);
    expect(await decisions.closeIfDue(proposed.post.id, closesAt.getTime())).toBe(true);
    later();
    bins = await decisions.decide(proposed.post.id, alice, {
      decision: "We collect weekly.",
      rationale: "Fewer overflows.",
      deciders: "alice",
      reason: "Agreed at the meeting.",
    });
    history = await decisions.history(bins.post.id);
  });
  afterAll(() => instance?.stop());

  it("has one entry per change, newest first, across the instance", async () => {
    const feed = await fetchFeed("/decisions/feed.atom");
    expect(feed.id).toBe(`${origin}/decisions/feed.atom`);
    expect(feed.title).toBe("Decisions on Connexo");
    expect(feed.link.find((l: Node) => l["@_rel"] === "self")["@_href"]).toBe(`${origin}/decisions/feed.atom`);
    expect(feed.link.find((l: Node) => l["@_rel"] === "alternate")["@_href"]).toBe(`${origin}/decisions`);
    expect(titles(feed)).toEqual([
      `Decided: ${TITLE}`,
      `Comments closed: ${TITLE}`,
      `Opened for comment: ${TITLE}`,
      `Proposed: ${TITLE}`,
      "Proposed: Mow less",
    ]);
    expect(feed.updated).toBe(history.at(-1)!.at.toISOString());
  });

  it("identifies each entry by the history entry, links the record, and says what changed, who did it, why, and where the record stands", async () => {
    const [decided, closed, opened, proposed] = entries(await fetchFeed("/decisions/feed.atom"));
    const [first, second, third, fourth] = history;
    expect(decided!.id).toBe(`${recordUrl(bins)}#history-${fourth!.id}`);
    expect(proposed!.id).toBe(`${recordUrl(bins)}#history-${first!.id}`);
    expect(decided!.link[0]["@_href"]).toBe(recordUrl(bins));
    expect(decided!.updated).toBe(fourth!.at.toISOString());
    expect(opened!.updated).toBe(second!.at.toISOString());

    const content = (entry: Node) => page(entry.content["#text"]).text();
    expect(decided!.author[0].name).toBe("alice Example");
    expect(decided!.author[0].uri).toBe(`${origin}/@alice`);
    expect(content(decided!)).toContain("Decided, by alice Example.");
    expect(content(decided!)).toContain("Status changed from Comments closed to Decided.");
    expect(content(decided!)).toContain("Reason: Agreed at the meeting.");
    expect(content(decided!)).toContain(`Where the record stands now: ${bins.post.summary}`);
    expect(content(opened!)).toContain("Reason: Residents asked.");
    expect(content(proposed!)).toContain("The question: Collect weekly?");
    // The instance closed the consultation: the entry is the community's.
    expect(closed!.id).toBe(`${recordUrl(bins)}#history-${third!.id}`);
    expect(closed!.author[0].name).toBe("The bins");
    expect(content(closed!)).toContain("Comments closed, automatically.");
    expect(decided!.category.map((c: Node) => c["@_term"])).toEqual(["bins"]);
  });

  it("has a feed per community with only that community's records, and none for anyone else", async () => {
    const parksFeed = await fetchFeed("/@parks/decisions/feed.atom");
    expect(parksFeed.title).toBe("Decisions in The parks – Connexo");
    expect(titles(parksFeed)).toEqual(["Proposed: Mow less"]);
    expect(entries(parksFeed)[0]!.link[0]["@_href"]).toBe(recordUrl(parks));
    const binsFeed = await fetchFeed("/@bins/decisions/feed.atom");
    expect(titles(binsFeed)).toHaveLength(4);
    expect(titles(binsFeed).every((t) => t.endsWith(TITLE))).toBe(true);
    expect((await instance.app.request(`${origin}/@nobody/decisions/feed.atom`)).status).toBe(404);
    expect((await instance.app.request(`${origin}/@alice/decisions/feed.atom`)).status).toBe(404);
  });
});
