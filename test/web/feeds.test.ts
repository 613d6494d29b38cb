import { XMLParser, XMLValidator } from "fast-xml-parser";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Post } from "../../src/domain/types.ts";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

// "&amp;" written out literally must survive too, not turn into "&".
const INSTANCE_NAME = "Fish &amp; Chips & <Civic> Works";
const ATOM_NS = "http://www.w3.org/2005/Atom";

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

/** The Atom documents: well-formed, with the structure RFC 4287 asks for, built from what is published. */
describe("Atom feeds", () => {
  let instance: RunningInstance;
  // The instance's clock runs with real time, and the test moves it on a minute at a time.
  let ahead = 0;
  const instanceNow = () => Date.now() + ahead;
  let origin: string;
  const posts: Record<string, Post> = {};
  let alt: string;
  let imageFile: string;

  const get = (path: string) => instance.app.request(`${origin}${path}`);

  /** Fetches a feed, checks it is served as Atom and is well-formed XML, and returns its <feed>. */
  const fetchFeed = async (path: string): Promise<Node> => {
    const res = await get(path);
    expect(res.status, path).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml) as Node;
    expect(doc.feed["@_xmlns"]).toBe(ATOM_NS);
    return doc.feed;
  };
  const entries = (feed: Node): Node[] => feed.entry ?? [];
  const linkWith = (links: Node[], rel: string) => links.filter((l) => (l["@_rel"] ?? "alternate") === rel).map((l) => l["@_href"]);
  const postUrl = (post: Post) => `${origin}/posts/${post.id}`;

  beforeAll(async () => {
    instance = await startInstance({ CONNEXO_INSTANCE_NAME: INSTANCE_NAME }, { serve: false, worker: false, now: instanceNow });
    origin = instance.origin;
    const { services } = instance;
    const { person: alice } = await seedCommunity(instance, { person: "alice", community: "team" });
    const { person: bob } = await seedCommunity(instance, { person: "bob", community: "lab" });
    const { person: carol } = await seedCommunity(instance, { person: "carol", community: "gone" });
    const dave = await services.actors.createPerson({
      handle: "dave",
      displayName: "Dave\u0007 &amp; Co",
      password: "a long enough password",
    });
    await services.actors.createCommunity({ handle: "misc", name: "The misc", purpose: "Odd characters." });
    await services.actors.addMember("misc", "dave", "member");
    await services.actors.createCommunity({ handle: "quiet", name: "The quiet", purpose: "Nothing yet." });
    const admin = await services.actors.makeAdmin(
      (await services.actors.createPerson({ handle: "operator", displayName: "Operator", password: "a long enough password" })).handle,
    );

    const base = { summary: "What happened.", body: "Things happened." };
    // Apart in time, so that "newest first" has one right answer.
    const later = () => {
      ahead += 60_000;
    };
    posts.first = await services.weeknotes.publish("team", alice, { ...base, title: "Week 47: first", tags: ["start"] });
    later();
    posts.lab = await services.weeknotes.publish("lab", bob, { ...base, title: "Week 47 in the lab" });
    later();
    // A reply is a note, not a weeknote: it stays out of the feeds.
    posts.note = await services.interactions.reply(bob, `${origin}/posts/${posts.lab.id}`, "Replying to myself.");
    posts.deleted = await services.weeknotes.publish("team", alice, { ...base, title: "Soon deleted" });
    await services.weeknotes.delete(posts.deleted.id, alice);
    posts.draft = await services.weeknotes.publish("team", alice, { ...base, title: "Only a draft" }, { draft: true });
    posts.carol = await services.weeknotes.publish("gone", carol, { ...base, title: "By someone deactivated" });
    await services.actors.deactivate(admin, "carol");
    later();

    const png = await sharp({ create: { width: 4, height: 3, channels: 3, background: "#c00" } })
      .png()
      .toBuffer();
    alt = 'A "red" <square> & more';
    const image = await services.media.upload(alice, { bytes: png, alt });
    imageFile = image.fileName;
    posts.tricky = await services.weeknotes.publish("team", alice, {
      title: 'Week 48: <b>bold</b> & "quotes"',
      summary: "Less < more & done",
      body: "We **opened** it.\n\n<script>alert(1)</script>",
      tags: ["consultation", "OpenWork"],
      images: [image.id],
    });
    later();
    posts.misc = await services.weeknotes.publish("misc", dave, { ...base, title: "Ring\u0007 the bell" });
    later();
    // Edited last: the instance's feed was last updated by this edit.
    posts.first = await services.weeknotes.edit(posts.first.id, alice, { ...base, title: "Week 47: first (edited)", tags: ["start"] });
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it("lists the instance's published weeknotes, newest first, with the feed's required elements", async () => {
    const feed = await fetchFeed("/feed.atom");
    expect(feed.id).toBe(`${origin}/feed.atom`);
    expect(feed.title).toBe(INSTANCE_NAME);
    expect(feed.updated).toBe(posts.first!.updatedAt!.toISOString());
    expect(linkWith(feed.link, "self")).toEqual([`${origin}/feed.atom`]);
    expect(linkWith(feed.link, "alternate")).toEqual([`${origin}/`]);
    // Carol's weeknote stays in the instance's feed, as on the home page; drafts and deleted posts never appear.
    expect(entries(feed).map((e) => e.id)).toEqual([posts.misc, posts.tricky, posts.carol, posts.lab, posts.first].map((p) => postUrl(p!)));
  });

  it("describes each entry: id, link, dates, author, summary, tags", async () => {
    const feed = await fetchFeed("/feed.atom");
    const first = entries(feed).find((e) => e.id === postUrl(posts.first!))!;
    expect(decodeHtml(first.title["#text"])).toBe("Week 47: first (edited)");
    expect(linkWith(first.link, "alternate")).toEqual([postUrl(posts.first!)]);
    expect(first.published).toBe(posts.first!.publishedAt!.toISOString());
    expect(first.updated).toBe(posts.first!.updatedAt!.toISOString());
    expect(first.updated > first.published).toBe(true);
    expect(first.author).toEqual([{ name: "alice Example", uri: `${origin}/@alice` }]);
    expect(first.summary["@_type"]).toBe("html");
    expect(decodeHtml(first.summary["#text"])).toBe("What happened.");
    expect(first.category.map((c: Node) => c["@_term"])).toEqual(["start"]);

    const lab = entries(feed).find((e) => e.id === postUrl(posts.lab!))!;
    expect(lab.updated).toBe(posts.lab!.publishedAt!.toISOString());
    expect(lab.author).toEqual([{ name: "bob Example", uri: `${origin}/@bob` }]);
    expect(lab.category).toBeUndefined();
  });

  it("keeps markup in titles and summaries as text, and carries the sanitised body and the images", async () => {
    const feed = await fetchFeed("/feed.atom");
    const tricky = entries(feed).find((e) => e.id === postUrl(posts.tricky!))!;
    expect(tricky.title["@_type"]).toBe("html");
    // As HTML, the title shows its angle brackets rather than making text bold.
    expect(tricky.title["#text"]).toBe("Week 48: &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot;");
    expect(decodeHtml(tricky.title["#text"])).toBe('Week 48: <b>bold</b> & "quotes"');
    expect(decodeHtml(tricky.summary["#text"])).toBe("Less < more & done");
    expect(tricky.content["@_type"]).toBe("html");
    const content = page(tricky.content["#text"]);
    expect(content.texts("p")).toContain("We opened it.");
    expect(content.text("p strong")).toBe("opened");
    expect(content.count("script")).toBe(0);
    const image = content.one("img");
    expect(image.getAttribute("src")).toBe(`${origin}/media/${imageFile}`);
    expect(image.getAttribute("alt")).toBe(alt);
    expect([image.getAttribute("width"), image.getAttribute("height")]).toEqual(["4", "3"]);
    expect(tricky.category.map((c: Node) => c["@_term"])).toEqual(["consultation", "OpenWork"]);
  });

  it("drops characters XML cannot carry instead of breaking the document, and keeps written-out entities", async () => {
    const feed = await fetchFeed("/@misc/feed.atom");
    expect(entries(feed).map((e) => decodeHtml(e.title["#text"]))).toEqual(["Ring the bell"]);
    expect(entries(feed)[0]!.author).toEqual([{ name: "Dave &amp; Co", uri: `${origin}/@dave` }]);
  });

  it("has a feed per community with only its weeknotes", async () => {
    const feed = await fetchFeed("/@team/feed.atom");
    expect(feed.id).toBe(`${origin}/@team/feed.atom`);
    expect(feed.title).toBe(`Weeknotes in The team – ${INSTANCE_NAME}`);
    expect(linkWith(feed.link, "self")).toEqual([`${origin}/@team/feed.atom`]);
    expect(linkWith(feed.link, "alternate")).toEqual([`${origin}/@team`]);
    expect(feed.updated).toBe(posts.first!.updatedAt!.toISOString());
    expect(entries(feed).map((e) => e.id)).toEqual([postUrl(posts.tricky!), postUrl(posts.first!)]);
  });

  it("has a feed per person with the weeknotes they wrote", async () => {
    const feed = await fetchFeed("/@bob/feed.atom");
    expect(feed.id).toBe(`${origin}/@bob/feed.atom`);
    expect(feed.title).toBe(`Weeknotes by bob Example – ${INSTANCE_NAME}`);
    expect(linkWith(feed.link, "alternate")).toEqual([`${origin}/@bob`]);
    expect(feed.updated).toBe(posts.lab!.publishedAt!.toISOString());
    expect(entries(feed).map((e) => e.id)).toEqual([postUrl(posts.lab!)]);
  });

  it("gives an empty feed the time of the request, by the instance's clock, as its update time", async () => {
    const before = instanceNow();
    const feed = await fetchFeed("/@quiet/feed.atom");
    expect(entries(feed)).toEqual([]);
    const updated = Date.parse(feed.updated);
    expect(updated).toBeGreaterThanOrEqual(before - 1000);
    expect(updated).toBeLessThanOrEqual(instanceNow());
  });

  it("has no feed for unknown or deactivated people, nor for the instance actor", async () => {
    for (const path of ["/@nobody/feed.atom", "/@carol/feed.atom", "/@instance/feed.atom"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
    }
  });

  it("is linked from the pages it belongs to", async () => {
    const alternates = async (path: string) => {
      const res = await get(path);
      expect(res.status).toBe(200);
      return page(await res.text()).attrs('head link[rel="alternate"][type="application/atom+xml"]', "href");
    };
    expect(await alternates("/")).toEqual(["/feed.atom"]);
    expect(await alternates("/@team")).toEqual(["/@team/feed.atom"]);
    expect(await alternates("/@bob")).toEqual(["/@bob/feed.atom"]);
  });
});
