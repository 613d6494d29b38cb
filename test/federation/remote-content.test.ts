import { DomUtils, parseDocument } from "htmlparser2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REMOTE_HTML_LIMITS } from "../../src/domain/html-bounds.ts";
import type { Actor } from "../../src/domain/types.ts";
import { createNote, deliver, FakeMastodon, type FakeUser } from "../helpers/fake-mastodon.ts";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

/** Every link target and image source on a page, as a browser's parser reads them. */
function addresses(html: string): { hrefs: string[]; srcs: string[] } {
  const dom = parseDocument(html);
  const all = (tag: string, attribute: string) =>
    DomUtils.findAll((e) => e.name === tag && e.attribs[attribute] !== undefined, dom.children).map((e) => e.attribs[attribute]!);
  return { hrefs: all("a", "href"), srcs: all("img", "src") };
}

/** Only web addresses (or our own paths and fragments) may be link targets. */
const notWeb = (urls: string[]) => urls.filter((u) => !/^(https?:\/\/|\/(?!\/)|#)/i.test(u.trim()));

/**
 * What other servers send, as we keep and show it. Their addresses end up in
 * href attributes (a profile's and a post's `url`, an avatar, the links of a
 * decision record): only http(s) ones are kept when they arrive, and only
 * those are rendered as links. Their HTML is bounded before it is sanitised.
 */
describe("what other servers send", () => {
  let connexo: RunningInstance;
  let mastodon: FakeMastodon;
  let mallory: FakeUser;
  let otto: FakeUser;
  let alice: Actor;
  let weeknoteUrl: string;
  let weeknoteId: string;
  // (A malformed address such as "http://[x" never gets this far: Fedify refuses the activity.)
  const hostile = ["javascript:alert(1)", "data:text/html,<script>alert(2)</script>", "vbscript:msgbox(3)", "/relative/path"];

  const note = (actor: FakeUser, url: string, inReplyTo: string | null, content: string, summary: string | null = null) => {
    return createNote(actor, { inReplyTo, url, summary, content });
  };
  const store = () => connexo.store.interactions;

  beforeAll(async () => {
    [connexo, mastodon] = await Promise.all([startInstance(), FakeMastodon.start(["mallory", "otto"])]);
    mallory = mastodon.user("mallory");
    otto = mastodon.user("otto");
    // Mallory's profile links to script and her avatar is a data: URL; Otto's profile is an ordinary https page.
    const profile = mastodon.actorDocument.bind(mastodon);
    const extra: Record<string, Record<string, unknown>> = {
      mallory: { url: "javascript:alert(1)", icon: { type: "Image", url: "data:image/png;base64,AAAA" } },
      otto: { url: "https://otto.example/@otto", icon: { type: "Image", url: "https://otto.example/avatar.png" } },
    };
    mastodon.actorDocument = (user) => ({ ...profile(user), ...extra[user.username] });

    alice = (await seedCommunity(connexo, { person: "alice", community: "team" })).person;
    const post = await connexo.services.weeknotes.publish("team", alice, { title: "Week 50", summary: "What we did.", body: "Things." });
    weeknoteId = post.id;
    weeknoteUrl = `${connexo.origin}/posts/${post.id}`;

    // Alice follows Mallory and Otto, so what they publish reaches her Following page.
    for (const user of [mallory, otto]) {
      await connexo.services.follows.requestFollow("alice", user.id);
      const follow = await eventually(
        () => mastodon.inboxPosts.map((p) => JSON.parse(p.body)).find((a) => a.type === "Follow" && a.object === user.id),
        15_000,
        "the Follow",
      );
      const accept = {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${user.id}#accepts/1`,
        type: "Accept",
        actor: user.id,
        object: follow,
      };
      expect((await deliver(`${connexo.origin}/inbox`, accept, user)).status).toBe(202);
    }
    await eventually(async () => (await connexo.store.follows.countFollowing(alice.id)) === 2, 15_000, "the Accepts");

    // Replies to the weeknote, and posts for Alice's Following page, each with an address that is not a web page.
    const sent = [
      ...hostile.map((url) => note(mallory, url, weeknoteUrl, `<p>A reply at ${url}</p>`)),
      ...hostile.map((url) => note(mallory, url, null, `<p>A post at ${url}</p>`)),
      note(otto, "https://otto.example/@otto/1", weeknoteUrl, "<p>An ordinary reply</p>"),
      // Summaries are HTML; content may nest absurdly deep.
      note(
        otto,
        "https://otto.example/@otto/2",
        null,
        `<p>An ordinary post</p>${"<b>".repeat(20_000)}deep`,
        "<p>Fish &amp; chips &lt;3</p>",
      ),
    ];
    for (const activity of sent)
      expect((await deliver(`${connexo.origin}/inbox`, activity, activity.actor === otto.id ? otto : mallory)).status).toBe(202);
    await eventually(async () => (await store().replies(weeknoteId)).length === hostile.length + 1, 15_000, "the replies");
    await eventually(async () => (await store().timeline(alice.id, 50)).length === hostile.length + 1, 15_000, "the posts");
  });
  afterAll(async () => {
    await Promise.all([connexo?.stop(), mastodon?.close()]);
  });

  it("keeps only http(s) addresses of what arrives", async () => {
    const actor = await connexo.store.remoteActors.findByUri(mallory.id);
    expect(actor).toMatchObject({ url: null, iconUrl: null });
    const urls = [...(await store().replies(weeknoteId)), ...(await store().timeline(alice.id, 50))].map((p) => p.url);
    // JSON-LD reads a relative address against the sending server's document: it stays on that server.
    const relative = `${mastodon.origin}/relative/path`;
    expect(urls.filter((u) => u !== null).sort()).toEqual([
      relative,
      relative,
      "https://otto.example/@otto/1",
      "https://otto.example/@otto/2",
    ]);
  });

  it("keeps a post's summary as the text it shows, and its HTML within bounds", async () => {
    const post = (await store().timeline(alice.id, 50)).find((p) => p.url === "https://otto.example/@otto/2")!;
    expect(post.summary).toBe("Fish & chips <3");
    expect(post.contentHtml).toBe(
      `<p>An ordinary post</p>${"<b>".repeat(REMOTE_HTML_LIMITS.depth)}…${"</b>".repeat(REMOTE_HTML_LIMITS.depth)}`,
    );
  });

  it("shows a weeknote's replies with web links only", async () => {
    const res = await connexo.app.request(weeknoteUrl);
    expect(res.status).toBe(200);
    const { hrefs, srcs } = addresses(await res.text());
    expect(notWeb(hrefs)).toEqual([]);
    expect(notWeb(srcs)).toEqual([]);
    expect(hrefs).toContain("https://otto.example/@otto");
    expect(hrefs).toContain("https://otto.example/@otto/1");
    expect(srcs).toContain("https://otto.example/avatar.png");
  });

  it("shows the Following page with web links only", async () => {
    const web = new WebClient(connexo, connexo.origin);
    await web.signIn("alice", "a long enough password");
    expect((await web.get("/timeline")).status).toBe(200);
    const { hrefs } = addresses(web.lastHtml);
    expect(notWeb(hrefs)).toEqual([]);
    expect(hrefs).toContain("https://otto.example/@otto");
    expect(hrefs).toContain("https://otto.example/@otto/2");
  });

  it("renders only web links even from what was stored before these checks", async () => {
    // Rows written by an earlier version, which kept any address: the pages check again.
    const { remoteActors, interactions } = connexo.store;
    const old = await remoteActors.upsert({
      uri: "https://old.example/users/eve",
      type: "Person",
      handle: "@eve@old.example",
      name: "Eve",
      url: "javascript:alert(4)",
      iconUrl: "data:image/png;base64,AAAA",
      inbox: "https://old.example/users/eve/inbox",
      sharedInbox: null,
    });
    await interactions.saveReply({
      uri: "https://old.example/notes/1",
      postId: weeknoteId,
      inReplyTo: weeknoteUrl,
      remoteActorId: old.id,
      url: "http://[broken",
      contentHtml: "<p>Old reply</p>",
      publishedAt: new Date(),
      updatedAt: null,
    });
    const following = await connexo.store.follows.createFollowing({ id: "f-eve", actorId: alice.id, target: old.uri }, []);
    await connexo.store.follows.resolveFollowing(following.id, old.id, "accepted");
    await interactions.saveRemotePost({
      uri: "javascript:alert(6)",
      announcedBy: null,
      type: "Article",
      name: "An old record",
      summary: null,
      contentHtml: "<p>Old</p>",
      url: "data:text/html,x",
      inReplyTo: null,
      publishedAt: new Date(),
      updatedAt: null,
      remoteActorId: old.id,
      decision: {
        status: "decided",
        question: "Q",
        contextHtml: "",
        options: [],
        decisionHtml: "<p>D</p>",
        rationaleHtml: "",
        consequencesHtml: "",
        deciders: [{ uri: "javascript:alert(7)", name: "Someone" }],
        proposedAt: null,
        consultationClosesAt: null,
        decidedAt: null,
        supersedes: ["vbscript:x"],
        supersededBy: "javascript:alert(8)",
        informedBy: [{ uri: "javascript:alert(9)", url: "data:text/html,y", note: "It helped.", authorName: "Eve" }],
        history: [],
      },
    });

    const page = await connexo.app.request(weeknoteUrl);
    const onPage = addresses(await page.text());
    expect(notWeb(onPage.hrefs)).toEqual([]);
    expect(notWeb(onPage.srcs)).toEqual([]);

    const web = new WebClient(connexo, connexo.origin);
    await web.signIn("alice", "a long enough password");
    await web.get("/timeline");
    expect(web.lastHtml).toContain("An old record");
    expect(web.lastHtml).toContain("It helped.");
    expect(notWeb(addresses(web.lastHtml).hrefs)).toEqual([]);
  });
});
