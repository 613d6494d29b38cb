import { DomUtils, parseDocument } from "htmlparser2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

/** What a reader's HTML parser (the one sanitize-html is built on) shows of an HTML field, and which elements it holds. */
function read(html: string) {
  const dom = parseDocument(html);
  return { text: DomUtils.textContent(dom), elements: DomUtils.findAll(() => true, dom.children).map((e) => e.name) };
}

/**
 * ActivityStreams says `name` is plain text and `summary` and `content` are
 * HTML: our objects must say what people wrote, whatever characters they used.
 */
describe("names and summaries of our own objects, as servers read them", () => {
  let instance: RunningInstance;
  const tricky = `Fish & chips <b>&"`;
  const asJson = async (path: string) => {
    const res = await instance.app.request(new URL(path, instance.origin).href, { headers: { accept: "application/activity+json" } });
    expect(res.status, path).toBe(200);
    return (await res.json()) as Record<string, any>;
  };

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    await seedCommunity(instance, { person: "alice", community: "team" });
  });
  afterAll(() => instance?.stop());

  it("sends a weeknote's title as it was written and its summary as HTML", async () => {
    const alice = (await instance.store.actors.findByHandle("alice"))!;
    const post = await instance.services.weeknotes.publish("team", alice, { title: tricky, summary: `${tricky} <script>`, body: "Body." });
    const article = await asJson(`/posts/${post.id}`);
    expect(article.name).toBe(tricky);
    expect(article.summary).toBe("Fish &amp; chips &lt;b&gt;&amp;&quot; &lt;script&gt;");
    expect(read(article.summary)).toEqual({ text: `${tricky} <script>`, elements: [] });
  });

  it("sends a decision record's title as it was written and its summary as HTML", async () => {
    const alice = (await instance.store.actors.findByHandle("alice"))!;
    const decision = await instance.services.decisions.propose("team", alice, { title: tricky, question: `${tricky}?`, context: "Why." });
    const article = await asJson(`/decisions/${decision.post.id}`);
    expect(article.name).toBe(tricky);
    expect(read(article.summary)).toEqual({ text: `Proposed decision: ${tricky}?`, elements: [] });
    expect(article.decisionQuestion).toBe(`${tricky}?`);
  });

  it("sends an actor's name as it was written and their description as HTML", async () => {
    await instance.services.actors.createCommunity({ handle: "kitchen", name: tricky, purpose: `${tricky} <script>` });
    const group = await asJson("/@kitchen");
    expect(group.name).toBe(tricky);
    const summary = read(group.summary);
    expect(summary.text).toBe(`${tricky} <script>`);
    expect(summary.elements.filter((e) => e !== "p")).toEqual([]);
  });
});
