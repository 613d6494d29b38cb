import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/types.ts";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";
const HTML = { accept: "text/html,application/xhtml+xml" };
const ACTIVITY_JSON = { accept: "application/activity+json" };

const zoe = {
  uri: "https://elsewhere.example/users/zoe",
  type: "Person",
  handle: "@zoe@elsewhere.example",
  name: "Zoë Remote",
  url: "https://elsewhere.example/@zoe",
  iconUrl: null,
  inbox: "https://elsewhere.example/users/zoe/inbox",
  sharedInbox: null,
};

describe("moderating replies", () => {
  let instance: RunningInstance;
  let alice: Actor;
  let facilitator: WebClient;
  let member: WebClient;
  let admin: WebClient;
  let reader: WebClient;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    ({ person: alice } = await seedCommunity(instance, { person: "alice", community: "team" }));
    const { actors } = instance.services;
    for (const [handle, name] of [
      ["fay", "Fay Facilitator"],
      ["mo", "Mo Member"],
      ["ada", "Ada Admin"],
    ]) {
      await actors.createPerson({ handle: handle!, displayName: name!, password: PASSWORD });
    }
    await actors.addMember("team", "fay", "facilitator");
    await actors.addMember("team", "mo", "member");
    await actors.makeAdmin("ada");
    facilitator = new WebClient(instance, instance.origin);
    await facilitator.signIn("fay", PASSWORD);
    member = new WebClient(instance, instance.origin);
    await member.signIn("mo", PASSWORD);
    admin = new WebClient(instance, instance.origin);
    await admin.signIn("ada", PASSWORD);
    reader = new WebClient(instance, instance.origin);
  });
  afterAll(async () => {
    await instance?.stop();
  });

  /** A reply from elsewhere to this post, as the inbox stores it. */
  async function remoteReply(postPath: string, postId: string, n: number, text: string): Promise<string> {
    const uri = `https://elsewhere.example/notes/${postId}-${n}`;
    const kept = await instance.services.replies.receive({
      uri,
      inReplyTo: `${instance.origin}${postPath}`,
      localPostId: postId,
      author: zoe,
      url: null,
      contentHtml: `<p>${text}</p>`,
      publishedAt: new Date(),
      updatedAt: null,
    });
    expect(kept?.outcome).toBe("accept");
    return uri;
  }

  /** A published weeknote in the team with two replies from elsewhere. */
  async function weeknoteWithReplies() {
    const post = await instance.services.weeknotes.publish("team", alice, { title: "Bins", summary: "About bins.", body: "Text." });
    const path = `/posts/${post.id}`;
    const rude = await remoteReply(path, post.id, 1, "Something rude");
    const kind = await remoteReply(path, post.id, 2, "Something kind");
    return { post, path, rude, kind };
  }

  const replyTexts = async (client: WebClient, path: string) => {
    const res = await client.get(path, HTML);
    expect(res.status).toBe(200);
    return page(await res.text());
  };

  const collection = async (postId: string) => {
    const res = await reader.get(`/posts/${postId}/replies`, ACTIVITY_JSON);
    expect(res.status).toBe(200);
    return (await res.json()) as { totalItems: number; orderedItems?: string[] | string };
  };

  const items = (doc: { orderedItems?: string[] | string }) => [doc.orderedItems ?? []].flat();

  it("lets a facilitator hide a reply with a reason and restore it, each action logged", async () => {
    const { post, path, rude, kind } = await weeknoteWithReplies();
    expect((await replyTexts(reader, path)).text(".counts")).toContain("2 replies");
    expect(items(await collection(post.id)).sort()).toEqual([rude, kind].sort());

    // The facilitator sees a Hide form on each reply, with a labelled reason.
    const before = await replyTexts(facilitator, path);
    expect(before.count("form.moderation-form")).toBe(2);
    const field = before.one("form.moderation-form input[name=reason]");
    expect(before.text(`label[for="${field.getAttribute("id")}"]`)).toBe("Reason for hiding");

    const hidden = await facilitator.post(`${path}/replies/hide`, { reply: rude, reason: "Personal abuse" });
    expect(hidden.status).toBe(303);
    expect(hidden.headers.get("location")).toBe(`${path}?done=hidden#replies-title`);

    // Gone for a signed-out reader, from the count and from what other servers read.
    const outside = await replyTexts(reader, path);
    expect(outside.text("section[aria-labelledby=replies-title]")).not.toContain("Something rude");
    expect(outside.text("section[aria-labelledby=replies-title]")).toContain("Something kind");
    expect(outside.text(".counts")).toContain("1 reply");
    const doc = await collection(post.id);
    expect(items(doc)).toEqual([kind]);
    expect(doc.totalItems).toBe(1);
    expect(await instance.services.publications.interactionCounts(post.id)).toMatchObject({ replies: 1 });

    // The facilitator still sees it, marked with the reason, with a Restore button.
    const inside = await replyTexts(facilitator, `${path}?done=hidden`);
    expect(inside.text("[role=status]")).toContain("The reply is hidden");
    const marked = inside.within("li.reply-hidden");
    expect(marked.text()).toContain("Something rude");
    expect(marked.text(".hidden-mark")).toBe("Hidden: Personal abuse");
    expect(marked.text("form.moderation-form button")).toBe("Restore the reply from Zoë Remote");
    expect(inside.text(".counts")).toContain("1 reply");

    const restored = await facilitator.post(`${path}/replies/restore`, { reply: rude });
    expect(restored.status).toBe(303);
    expect(restored.headers.get("location")).toBe(`${path}?done=restored#replies-title`);
    expect((await replyTexts(reader, path)).text("section[aria-labelledby=replies-title]")).toContain("Something rude");
    expect((await replyTexts(reader, path)).text(".counts")).toContain("2 replies");
    expect(items(await collection(post.id)).sort()).toEqual([rude, kind].sort());

    // The log says who did what, to which reply, and why.
    const fay = (await instance.services.actors.find("fay"))!;
    const team = (await instance.services.actors.find("team"))!;
    const log = await instance.services.moderation.log((await instance.services.actors.find("ada"))!, { communityId: team.id });
    expect(log.entries.map((e) => [e.action, e.actorId, e.subject, e.reason])).toEqual([
      ["reply.restored", fay.id, rude, ""],
      ["reply.hidden", fay.id, rude, "Personal abuse"],
    ]);

    // Administrators read it on its page, filtered.
    const logPage = page(await (await admin.get("/admin/moderation-log?action=reply.hidden&community=team", HTML)).text());
    const rows = logPage.texts("#moderation-log tbody tr");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain("Fay Facilitator");
    expect(rows[0]).toContain("Hid a reply");
    expect(rows[0]).toContain(rude);
    expect(rows[0]).toContain("Personal abuse");
    expect(logPage.value("#action")).toBe("reply.hidden");
  });

  it("shows readers one thread until a reply comes, and moderators their forms, whoever asked first", async () => {
    const { post, path } = await weeknoteWithReplies();
    const thread = (shown: ReturnType<typeof page>) => shown.within("section[aria-labelledby=replies-title]");
    const first = await replyTexts(member, path);
    expect(thread(first).count("li.reply")).toBe(2);
    expect(thread(first).count("form.moderation-form")).toBe(0);
    // A moderator between two readers' views: neither gets the other's markup.
    expect(thread(await replyTexts(facilitator, path)).count("form.moderation-form")).toBe(2);
    const again = await replyTexts(member, path);
    expect(thread(again).count("form.moderation-form")).toBe(0);
    expect(thread(again).text()).toBe(thread(first).text());
    expect(thread(await replyTexts(facilitator, path)).count("form.moderation-form")).toBe(2);
    // A reply that comes is on the next page anyone reads.
    await remoteReply(path, post.id, 3, "Something new");
    const later = await replyTexts(member, path);
    expect(thread(later).count("li.reply")).toBe(3);
    expect(thread(later).text()).toContain("Something new");
    expect(thread(await replyTexts(facilitator, path)).count("form.moderation-form")).toBe(3);
  });

  it("refuses a plain member (403), changing nothing", async () => {
    const { post, path, rude } = await weeknoteWithReplies();
    const seen = await replyTexts(member, path);
    expect(seen.count("form.moderation-form")).toBe(0);
    const res = await member.post(`${path}/replies/hide`, { reply: rude, reason: "I do not like it" });
    expect(res.status).toBe(403);
    expect((await replyTexts(reader, path)).text(".counts")).toContain("2 replies");
    expect((await instance.services.interactions.replies(post.id)).map((r) => r.state)).toEqual(["visible", "visible"]);
    expect((await instance.store.moderationLog.list({ subjects: [rude] }, 10, 0)).length).toBe(0);
  });

  it("asks for a reason, next to the field, and hides nothing without one", async () => {
    const { path, rude } = await weeknoteWithReplies();
    await facilitator.get(path, HTML);
    const res = await facilitator.post(`${path}/replies/hide`, { reply: rude, reason: "   " });
    expect(res.status).toBe(400);
    const shown = page(await res.text());
    const form = shown.within("form.moderation-form");
    expect(form.text(".field-error")).toBe("Error: Required");
    expect(form.attr("input[name=reason]", "aria-invalid")).toBe("true");
    expect(form.attr("input[name=reply]", "value")).toBe(rude);
    expect((await replyTexts(reader, path)).text(".counts")).toContain("2 replies");
    expect((await instance.store.moderationLog.list({ subjects: [rude] }, 10, 0)).length).toBe(0);
  });

  it("refuses a form without its anti-forgery token", async () => {
    const { path, rude } = await weeknoteWithReplies();
    const res = await facilitator.post(`${path}/replies/hide`, { reply: rude, reason: "Spam", _csrf: "" });
    expect(res.status).toBe(403);
    expect((await replyTexts(reader, path)).text(".counts")).toContain("2 replies");
  });

  it("keeps the log from anyone who is not an instance administrator", async () => {
    expect((await facilitator.get("/admin/moderation-log", HTML)).status).toBe(403);
    const fay = (await instance.services.actors.find("fay"))!;
    await expect(instance.services.moderation.log(fay)).rejects.toMatchObject({ code: "forbidden" });
    const visitor = await reader.get("/admin/moderation-log", HTML);
    expect(visitor.status).toBe(303);
  });

  it("moderates a decision record's replies the same way", async () => {
    const { post } = await instance.services.decisions.propose("team", alice, {
      title: "Collect bins weekly",
      question: "Weekly?",
      context: "Bins overflow.",
    });
    const path = `/decisions/${post.id}`;
    const rude = await remoteReply(path, post.id, 1, "Something rude");
    await remoteReply(path, post.id, 2, "Something kind");
    await facilitator.get(path, HTML);
    const res = await facilitator.post(`${path}/replies/hide`, { reply: rude, reason: "Off topic" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${path}?done=hidden#replies-title`);
    const outside = (await replyTexts(reader, path)).text("section[aria-labelledby=replies-title]");
    expect(outside).not.toContain("Something rude");
    expect(outside).toContain("Something kind");
    expect(items(await collection(post.id))).toHaveLength(1);
    const inside = await replyTexts(facilitator, `${path}?done=hidden`);
    expect(inside.text("li.reply-hidden .hidden-mark")).toBe("Hidden: Off topic");
    expect(inside.text("[role=status]")).toContain("The reply is hidden");

    // A reply of another post cannot be hidden through this one.
    const other = await weeknoteWithReplies();
    const elsewhere = await facilitator.post(`${path}/replies/hide`, { reply: other.rude, reason: "Wrong page" });
    expect(elsewhere.status).toBe(404);

    expect((await member.post(`${path}/replies/restore`, { reply: rude })).status).toBe(403);
    expect((await facilitator.post(`${path}/replies/restore`, { reply: rude })).status).toBe(303);
    expect((await replyTexts(reader, path)).text("section[aria-labelledby=replies-title]")).toContain("Something rude");
  });

  it("hides and restores a reply written here, and the notes answering it, the same way", async () => {
    const { path } = await weeknoteWithReplies();
    await member.get(path, HTML);
    expect((await member.post(`${path}/replies`, { body: "A local reply that goes too far" })).status).toBe(303);
    const threadOf = async (client: WebClient) => (await replyTexts(client, path)).text("section[aria-labelledby=replies-title]");
    const local = (await replyTexts(facilitator, path)).all("li.reply article").find((a) => a.textContent?.includes("goes too far"));
    const noteUri = local!.querySelector("input[name=reply]")!.getAttribute("value")!;
    expect(noteUri).toMatch(/\/notes\//);
    const noteId = noteUri.split("/").at(-1)!;
    const mo = (await instance.services.actors.find("mo"))!;
    await instance.services.interactions.reply(mo, noteUri, "And a follow-up to it");
    expect(await threadOf(reader)).toContain("And a follow-up to it");

    await facilitator.get(path, HTML);
    const hidden = await facilitator.post(`${path}/replies/hide`, { reply: noteUri, reason: "Personal remarks" });
    expect(hidden.status).toBe(303);
    const outside = await threadOf(reader);
    expect(outside).not.toContain("goes too far");
    expect(outside).not.toContain("And a follow-up to it");
    expect((await replyTexts(reader, path)).text(".counts")).toContain("2 replies");
    const inside = await replyTexts(facilitator, path);
    expect(inside.text("li.reply-hidden .hidden-mark")).toBe("Hidden: Personal remarks");
    expect((await instance.store.posts.findById(noteId))?.hiddenAt).toBeInstanceOf(Date);
    expect((await replyTexts(reader, `/notes/${noteId}`)).text(".reply-answer")).toContain("A moderator hid it");

    expect((await member.post(`${path}/replies/restore`, { reply: noteUri })).status).toBe(403);
    expect((await facilitator.post(`${path}/replies/restore`, { reply: noteUri })).status).toBe(303);
    expect(await threadOf(reader)).toContain("goes too far");
    expect(await threadOf(reader)).toContain("And a follow-up to it");
  });
});
