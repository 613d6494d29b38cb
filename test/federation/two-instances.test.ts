import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

/**
 * Two Connexo instances on loopback: a person on B follows a community on A
 * and hears from it; B replies, likes and boosts; A counts it all; edits and
 * deletes on A reach B.
 */
describe("two instances federating", () => {
  let a: RunningInstance;
  let b: RunningInstance;
  let aToken: string;
  let bToken: string;

  const api = (instance: RunningInstance, token: string, method: string, path: string, body?: unknown) =>
    fetch(`${instance.origin}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const asJson = (url: string) => fetch(url, { headers: { accept: "application/activity+json" } });

  beforeAll(async () => {
    [a, b] = await Promise.all([startInstance(), startInstance()]);
    aToken = (await seedCommunity(a, { person: "alice", community: "team" })).token;
    bToken = (await seedCommunity(b, { person: "bob", community: "unit" })).token;
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("follows, publishes, replies, reacts, edits and deletes across servers", async () => {
    // Bob on B follows @team on A by its actor URL, and A accepts.
    const follow = await api(b, bToken, "POST", "/follows", { target: `${a.origin}/@team` });
    expect(follow.status).toBe(202);
    const bob = (await b.services.actors.find("bob"))!;
    await eventually(async () => (await b.store.follows.countFollowing(bob.id)) === 1, 15_000, "the Accept");
    const team = (await a.services.actors.find("team"))!;
    expect(await a.store.follows.countFollowers(team.id)).toBe(1);

    // Alice publishes in @team; B receives it through the community's Announce.
    const published = await api(a, aToken, "POST", "/weeknotes", {
      community: "team",
      title: "Week 48: the consultation opens",
      summary: "We opened the consultation and met three councils.",
      body: "We **opened** the consultation.\n\n<script>alert(1)</script>",
      tags: ["consultation", "openwork"],
    });
    expect(published.status).toBe(201);
    const weeknote = (await published.json()) as { id: string; url: string };
    const inTimeline = await eventually(
      async () => {
        const res = await api(b, bToken, "GET", "/timeline");
        const items = (await res.json()) as { uri: string; name: string; content: string; announcedBy: string }[];
        return items.find((i) => i.uri === weeknote.url);
      },
      15_000,
      "the weeknote on B",
    );
    expect(inTimeline.name).toBe("Week 48: the consultation opens");
    expect(inTimeline.announcedBy).toBe(`${a.origin}/@team`);
    expect(inTimeline.content).toContain("<strong>opened</strong>");
    expect(inTimeline.content).not.toContain("<script>");

    // Bob replies, likes and boosts.
    const reply = await api(b, bToken, "POST", "/replies", { inReplyTo: weeknote.url, body: "Will the *summary* be published?" });
    expect(reply.status).toBe(201);
    expect((await api(b, bToken, "POST", "/likes", { object: weeknote.url })).status).toBe(202);
    expect((await api(b, bToken, "POST", "/boosts", { object: weeknote.url })).status).toBe(202);

    await eventually(
      async () => {
        const counts = await a.store.interactions.countReactions(weeknote.id);
        const replies = await a.store.interactions.countReplies(weeknote.id);
        return counts.likes === 1 && counts.announces === 1 && replies === 1;
      },
      15_000,
      "the reply, like and boost on A",
    );

    // A's page and collections show them.
    const page = await (await fetch(weeknote.url, { headers: { accept: "text/html" } })).text();
    expect(page).toContain("<em>summary</em>");
    expect(page).toContain("bob Example");
    expect(page).toContain("<li>1 like</li><li>1 boost</li><li>1 reply</li>");
    expect(page).toMatch(/<span class="handle secondary">@bob@127\.0\.0\.1:\d+<\/span>/);
    const article = (await (await asJson(weeknote.url)).json()) as Record<string, any>;
    expect(article.type).toBe("Article");
    expect(article.replies.totalItems).toBe(1);
    expect(article.likes.totalItems).toBe(1);
    expect(article.shares.totalItems).toBe(1);
    const likes = (await (await asJson(`${weeknote.url}/likes`)).json()) as Record<string, any>;
    expect(likes.totalItems).toBe(1);

    // An edit on A reaches B.
    const edited = await api(a, aToken, "PATCH", `/weeknotes/${weeknote.id}`, { title: "Week 48: consultation open" });
    expect(edited.status).toBe(200);
    await eventually(
      async () => (await b.store.interactions.findRemotePost(weeknote.url))?.name === "Week 48: consultation open",
      15_000,
      "the Update on B",
    );

    // A delete on A reaches B, and the object answers 410.
    expect((await api(a, aToken, "DELETE", `/weeknotes/${weeknote.id}`)).status).toBe(204);
    await eventually(async () => (await b.store.interactions.findRemotePost(weeknote.url))?.deletedAt, 15_000, "the Delete on B");
    const gone = await asJson(weeknote.url);
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as { type: string }).type).toBe("Tombstone");
  });
});
