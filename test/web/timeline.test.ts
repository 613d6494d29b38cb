import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../helpers/database.ts";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

describe("the Following page", () => {
  let instance: RunningInstance;
  let web: WebClient;
  const remote = {
    uri: "https://elsewhere.example/users/zoe",
    type: "Person",
    handle: "@zoe@elsewhere.example",
    name: "Zoë Remote",
    url: "https://elsewhere.example/@zoe",
    iconUrl: null,
    inbox: "https://elsewhere.example/users/zoe/inbox",
    sharedInbox: null,
  };

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    const { person } = await seedCommunity(instance, { person: "alice", community: "team" });
    // Alice already follows Zoë, who has published something.
    const { store } = instance;
    const { interactions } = instance.services;
    const following = await store.follows.createFollowing({ id: "f-zoe", actorId: person.id, target: remote.uri }, []);
    const saved = await store.remoteActors.upsert(remote);
    await store.follows.resolveFollowing(following.id, saved.id, "accepted");
    await interactions.receiveRemotePost(
      {
        uri: "https://elsewhere.example/notes/1",
        announcedBy: null,
        type: "Note",
        name: null,
        summary: null,
        contentHtml: "<p>Hello from <strong>elsewhere</strong></p>",
        url: "https://elsewhere.example/@zoe/1",
        inReplyTo: null,
        decision: null,
        publishedAt: new Date(),
        updatedAt: null,
      },
      remote,
    );
    web = new WebClient(instance, instance.origin);
  });
  afterAll(() => instance?.stop());

  it("sends signed-out people to sign in first", async () => {
    const res = await new WebClient(instance, instance.origin).get("/timeline");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/sign-in?next=/timeline");
  });

  it("shows what followed accounts publish, and whom one follows", async () => {
    await web.signIn("alice", "a long enough password");
    const res = await web.get("/timeline");
    expect(res.status).toBe(200);
    const timeline = page(web.lastHtml);
    expect(timeline.text(".post-list .prose strong")).toBe("elsewhere");
    expect(timeline.text()).toContain("Zoë Remote");
    expect(timeline.texts("span.handle.secondary")).toContain("@zoe@elsewhere.example");
  });

  it("refuses a follow of something that is not an account, keeping the text", async () => {
    await web.get("/timeline");
    const res = await web.post("/timeline/follows", { target: "not an account" });
    expect(res.status).toBe(400);
    const form = page(web.lastHtml);
    expect(form.value('input[name="target"]')).toBe("not an account");
    expect(form.text("#target-error")).toMatch(/^Error: \S/);
  });

  it("asks to follow an account, in the background", async () => {
    await web.get("/timeline");
    const res = await web.post("/timeline/follows", { target: "@team@digital.example.gov" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/timeline?done=followed");
    const rows = await queryRows<{ target: string; state: string }>(
      instance.database,
      "SELECT target, state FROM followings WHERE target = ?",
      ["@team@digital.example.gov"],
    );
    expect(rows).toEqual([{ target: "@team@digital.example.gov", state: "resolving" }]);
  });

  it("replies to a post from elsewhere, and refuses an empty reply", async () => {
    await web.get("/timeline");
    const empty = await web.post("/timeline/replies", { inReplyTo: "https://elsewhere.example/notes/1", body: "  " });
    expect(empty.status).toBe(400);
    expect(page(web.lastHtml).text("#reply-0-error")).toMatch(/^Error: \S/);
    const sent = await web.post("/timeline/replies", { inReplyTo: "https://elsewhere.example/notes/1", body: "Thanks, **Zoë**." });
    expect(sent.status).toBe(303);
    const notes = await queryRows<{ in_reply_to: string; body_markdown: string }>(
      instance.database,
      "SELECT in_reply_to, body_markdown FROM posts WHERE kind = 'note'",
    );
    expect(notes).toEqual([{ in_reply_to: "https://elsewhere.example/notes/1", body_markdown: "Thanks, **Zoë**." }]);
  });

  it("refuses a reply without the form's token, storing nothing", async () => {
    await web.get("/timeline");
    const res = await web.post("/timeline/replies", { _csrf: "forged", inReplyTo: "https://elsewhere.example/notes/1", body: "Forged." });
    expect(res.status).toBe(403);
    const notes = await queryRows(instance.database, "SELECT id FROM posts WHERE body_markdown = ?", ["Forged."]);
    expect(notes).toEqual([]);
  });
});
