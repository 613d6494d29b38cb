import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDecisionTime, type Decision } from "../../src/domain/decisions.ts";
import type { Actor } from "../../src/domain/types.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";
/** What a browser's form submission asks for (servers asking for JSON at these addresses get ActivityPub). */
const HTML = { accept: "text/html,application/xhtml+xml" };

const record = {
  title: "Collect bins weekly",
  question: "Should bins be collected every week instead of every fortnight?",
  context: "Residents say the bins **overflow**.",
  options: [
    { title: "Stay fortnightly", description: "Costs nothing more." },
    { title: "Go weekly", description: "Needs two more lorries." },
  ],
  tags: "bins, budget",
};

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
const ZOE_REPLY = "https://elsewhere.example/notes/1";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The part of the page under a heading, up to the next section. */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) return "";
  const end = html.indexOf("</section>", start);
  return html.slice(start, end);
}

/** The links to the forms that change a record, as [label, path-suffix]. */
function actionLinks(html: string, id: string): string[] {
  const actions = section(html, "actions-title");
  return [...actions.matchAll(new RegExp(`href="/decisions/${id}/([a-z]+)">([^<]+)</a>`, "g"))].map((m) => `${m[2]} /${m[1]}`);
}

describe("the decision page", () => {
  let instance: RunningInstance;
  let alice: Actor;
  let decided: Decision;
  let closesAt: Date;
  const id = () => decided.post.id;

  const signedIn = async (handle: string) => {
    const web = new WebClient(instance, instance.origin);
    await web.signIn(handle, PASSWORD);
    return web;
  };

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    ({ person: alice } = await seedCommunity(instance, { person: "alice", community: "bins" }));
    await seedCommunity(instance, { person: "carol", community: "parks" });
    await instance.services.actors.createPerson({ handle: "olly", displayName: "Olly Observer", password: PASSWORD });
    await instance.services.actors.addMember("bins", "olly", "observer");
    const { decisions, interactions } = instance.services;

    const proposed = await decisions.propose("bins", alice, record);
    const recordUrl = `${instance.origin}/decisions/${proposed.post.id}`;
    expect(
      await interactions.receiveReply({
        uri: ZOE_REPLY,
        inReplyTo: recordUrl,
        localPostId: proposed.post.id,
        author: zoe,
        url: "https://elsewhere.example/@zoe/1",
        contentHtml: "<p>Tuesday collections <em>matter</em> to us.</p>",
        publishedAt: new Date(),
        updatedAt: null,
      }),
    ).toBe(true);
    // Opened until a moment from now, then closed by the instance when that moment has passed.
    closesAt = new Date(Date.now() + 300);
    await decisions.open(proposed.post.id, alice, { closesAt, reason: "Residents asked for a say." });
    await wait(400);
    expect(await decisions.closeIfDue(proposed.post.id, closesAt.getTime())).toBe(true);
    await decisions.decide(proposed.post.id, alice, {
      decision: "Bins are collected **weekly** from May.",
      rationale: "Overflowing bins cost more to clean up.",
      consequences: "Two more lorries are hired.",
      deciders: "alice, bob@other.example",
      informedBy: [{ uri: ZOE_REPLY, note: "Showed that Tuesdays matter." }],
    });
    decided = await decisions.edit(
      proposed.post.id,
      alice,
      {
        ...record,
        decision: "Bins are collected **weekly** from June.",
        rationale: "Overflowing bins cost more to clean up.",
        consequences: "Two more lorries are hired.",
        deciders: "alice, bob@other.example",
      },
      "The lorries arrive a month later.",
    );
  });
  afterAll(() => instance?.stop());

  it("shows every field of the record", async () => {
    const web = new WebClient(instance, instance.origin);
    const res = await web.get(`/decisions/${id()}`);
    expect(res.status).toBe(200);
    const html = web.lastHtml;
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toContain(`<h1 id="record-title">${record.title}</h1>`);
    expect(html).toContain('<strong class="status status-decided">Decided</strong> · in <a href="/@bins">The bins</a>');
    expect(html).toContain(`<p class="summary">${decided.post.summary}</p>`);
    expect(section(html, "question-title")).toContain(record.question);
    expect(section(html, "context-title")).toContain("Residents say the bins <strong>overflow</strong>.");
    const options = section(html, "options-title");
    expect(options).toContain("<h3>Stay fortnightly</h3>");
    expect(options).toContain("Needs two more lorries.");
    expect(section(html, "decision-title")).toContain("Bins are collected <strong>weekly</strong> from June.");
    expect(section(html, "rationale-title")).toContain("Overflowing bins cost more to clean up.");
    expect(section(html, "consequences-title")).toContain("Two more lorries are hired.");
    const deciders = section(html, "deciders-title");
    expect(deciders).toContain('<a href="/@alice">alice Example</a>');
    expect(deciders).toContain("@bob@other.example");
    const dates = section(html, "dates-title");
    expect(dates).toContain(
      `<time datetime="${decided.post.publishedAt!.toISOString()}">${formatDecisionTime(decided.post.publishedAt!)}</time>`,
    );
    expect(dates).toContain(`Consultation closed</dt><dd><time datetime="${closesAt.toISOString()}">`);
    expect(dates).toContain(`Decided</dt><dd><time datetime="${decided.decidedAt!.toISOString()}">`);
    expect(section(html, "tags-title")).toContain('<a class="tag" href="/decisions?tag=budget">#budget</a>');
    expect(html).toContain(
      '<link rel="alternate" type="application/atom+xml" title="Decisions in The bins" href="/@bins/decisions/feed.atom"/>',
    );
    // Not open any more: no invitation, and no one signed out is offered to change it.
    expect(html).not.toContain("Open for comment until");
    expect(html).not.toContain('id="actions-title"');
  });

  it("shows the input that informed the record, with links, and that its author was told", async () => {
    const web = new WebClient(instance, instance.origin);
    await web.get(`/decisions/${id()}`);
    const informed = section(web.lastHtml, "informed-by-title");
    expect(informed).toContain('<a href="https://elsewhere.example/@zoe/1">Reply from Zoë Remote</a>');
    expect(informed).toContain("How it informed the record: Showed that Tuesdays matter.");
    const acknowledgement = decided.informedBy[0]!.acknowledgementId;
    expect(acknowledgement).toBeTruthy();
    expect(informed).toContain(`We told them how their input was used: <a href="/notes/${acknowledgement}">`);
  });

  it("shows the history in order: who, when, what, the status moves and the reasons, with the instance's own move as automatic", async () => {
    const web = new WebClient(instance, instance.origin);
    await web.get(`/decisions/${id()}`);
    const history = section(web.lastHtml, "history-title");
    const entries = history.split("<li ").slice(1);
    expect(entries.map((e) => /<p class="history-action">([^<]+)<\/p>/.exec(e)?.[1])).toEqual([
      "Proposed",
      "Opened for comment",
      "Comments closed",
      "Decided",
      "Amended: decision",
    ]);
    const entry = (i: number) => entries[i]!;
    expect(entry(0)).toContain('<a href="/@alice">alice Example</a>');
    expect(entry(1)).toContain("Status changed from Proposed to Open for comment");
    expect(entry(1)).toContain("Reason: Residents asked for a say.");
    expect(entry(2)).toContain("· Automatically");
    expect(entry(2)).not.toContain('href="/@');
    expect(entry(2)).toContain("Reason: The consultation reached its closing time.");
    expect(entry(3)).toContain("Status changed from Comments closed to Decided");
    expect(entry(4)).toContain("Reason: The lorries arrive a month later.");
    expect(entry(4)).not.toContain("Status changed");
    const history_ = await instance.services.decisions.history(id());
    expect(entry(4)).toContain(`id="history-${history_[4]!.id}"`);
    expect(entry(4)).toContain(`<time datetime="${history_[4]!.at.toISOString()}">${formatDecisionTime(history_[4]!.at)}</time>`);
  });

  it("shows the replies from elsewhere and the note telling their author, under them", async () => {
    const web = new WebClient(instance, instance.origin);
    await web.get(`/decisions/${id()}`);
    const html = web.lastHtml;
    const replies = html.slice(html.indexOf('id="replies-title"'));
    expect(replies).toContain("Tuesday collections <em>matter</em> to us.");
    expect(replies).toContain('<a href="https://elsewhere.example/@zoe">Zoë Remote</a>');
    expect(replies).toMatch(
      /Zoë Remote[\s\S]*<ol class="replies">[\s\S]*Reply from The bins[\s\S]*How we used it: Showed that Tuesdays matter\./,
    );
    // Signed out, there is a way to reply from elsewhere or to sign in.
    expect(replies).toContain(`<a href="/sign-in?next=/decisions/${id()}">sign in</a>`);
    expect(replies).not.toContain('id="reply-form"');
  });

  it("lets a signed-in person reply, after the consultation too, and shows the reply", async () => {
    const web = await signedIn("carol");
    await web.get(`/decisions/${id()}`);
    expect(web.lastHtml).toContain(`<form method="post" action="/decisions/${id()}/replies" id="reply-form">`);
    const res = await web.post(`/decisions/${id()}/replies`, { body: "Thank you for **listening**." }, HTML);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/decisions/${id()}?done=replied#replies-title`);
    await web.get(res.headers.get("location")!);
    expect(web.lastHtml).toContain('<div class="notice" role="status"><p>Your reply is published.</p></div>');
    const replies = web.lastHtml.slice(web.lastHtml.indexOf('id="replies-title"'));
    expect(replies).toContain("Thank you for <strong>listening</strong>.");
    expect(replies).toContain('<a href="/@carol">carol Example</a>');
    const notes = await instance.services.store.posts.listNotesReplyingTo([`${instance.origin}/decisions/${id()}`]);
    expect(notes.map((n) => n.bodyMarkdown)).toEqual(["Thank you for **listening**."]);
  });

  it("shows the reply form again with the text kept when a reply cannot be published", async () => {
    const web = await signedIn("carol");
    await web.get(`/decisions/${id()}`);
    const tooLong = "y".repeat(10_001);
    const res = await web.post(`/decisions/${id()}/replies`, { body: tooLong }, HTML);
    expect(res.status).toBe(400);
    expect(web.lastHtml).toContain("<title>Error: Collect bins weekly");
    expect(web.lastHtml).toContain('id="body-error"');
    expect(web.lastHtml).toContain(`>${tooLong}</textarea>`);
    expect((await web.post(`/decisions/${id()}/replies`, { body: "   " }, HTML)).status).toBe(400);
    const notes = await instance.services.store.posts.listNotesReplyingTo([`${instance.origin}/decisions/${id()}`]);
    expect(notes).toHaveLength(1);
  });

  it("sends someone signed out to sign in before replying", async () => {
    const web = new WebClient(instance, instance.origin);
    // The sign-in page carries the form token a signed-out visitor has.
    await web.get("/sign-in");
    const res = await web.post(`/decisions/${id()}/replies`, { body: "Hello" }, HTML);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/sign-in?next=/decisions/${id()}`);
  });

  it("invites replies while the record is open, and offers only the moves its status allows to those who may make them", async () => {
    const { decisions } = instance.services;
    const open = await decisions.propose("bins", alice, { ...record, title: "Open the tip on Sundays" });
    const until = new Date(Date.UTC(2027, 0, 15, 17, 0));
    await decisions.open(open.post.id, alice, { closesAt: until });
    const proposed = await decisions.propose("bins", alice, { ...record, title: "Paint the lorries" });
    const withdrawn = await decisions.propose("bins", alice, { ...record, title: "Sell the depot" });
    await decisions.withdraw(withdrawn.post.id, alice, { reason: "No buyer." });

    const anonymous = new WebClient(instance, instance.origin);
    await anonymous.get(`/decisions/${open.post.id}`);
    const invitation = section(anonymous.lastHtml, "invitation-title");
    expect(invitation).toContain(`Open for comment until <time datetime="${until.toISOString()}">15 January 2027 at 17:00 UTC</time>`);
    expect(invitation).toContain(`@bins@${new URL(instance.origin).host}`);
    expect(anonymous.lastHtml).not.toContain('id="actions-title"');

    const web = await signedIn("alice");
    await web.get(`/decisions/${open.post.id}`);
    expect(actionLinks(web.lastHtml, open.post.id)).toEqual(["Close comments /close", "Withdraw /withdraw", "Edit /edit"]);
    expect(web.lastHtml).toContain('id="reply-form"');
    await web.get(`/decisions/${proposed.post.id}`);
    expect(actionLinks(web.lastHtml, proposed.post.id)).toEqual([
      "Open for comment /open",
      "Record the decision /decide",
      "Withdraw /withdraw",
      "Edit /edit",
    ]);
    expect(web.lastHtml).not.toContain('id="invitation-title"');
    await web.get(`/decisions/${id()}`);
    expect(actionLinks(web.lastHtml, id())).toEqual(["Mark superseded /supersede", "Withdraw /withdraw", "Amend /edit"]);
    await web.get(`/decisions/${withdrawn.post.id}`);
    expect(web.lastHtml).not.toContain('id="actions-title"');
    expect(section(web.lastHtml, "history-title")).toContain("Reason: No buyer.");

    // An observer of the community, and an administrator of another, may not change it.
    for (const handle of ["olly", "carol"]) {
      const other = await signedIn(handle);
      await other.get(`/decisions/${open.post.id}`);
      expect(other.lastHtml, handle).not.toContain('id="actions-title"');
      expect(other.lastHtml, handle).not.toContain(`/decisions/${open.post.id}/close`);
    }
  });

  it("links records that replace each other", async () => {
    const { decisions } = instance.services;
    const later = await decisions.propose("bins", alice, { ...record, title: "Collect bins twice a week" });
    await decisions.supersede(id(), alice, { by: later.post.id, reason: "Weekly was not enough." });
    const web = new WebClient(instance, instance.origin);
    await web.get(`/decisions/${id()}`);
    expect(web.lastHtml).toContain('<strong class="status status-superseded">Superseded</strong>');
    expect(section(web.lastHtml, "related-title")).toContain(
      `Superseded by <a href="/decisions/${later.post.id}">Collect bins twice a week</a>`,
    );
    await web.get(`/decisions/${later.post.id}`);
    expect(section(web.lastHtml, "related-title")).toContain(`Supersedes <a href="/decisions/${id()}">Collect bins weekly</a>`);
  });

  it("confirms what was just done, and ignores what it does not know", async () => {
    const web = new WebClient(instance, instance.origin);
    const expected: Record<string, string> = {
      proposed: "The record is published as a proposed decision.",
      opened: "The record is open for comment.",
      decided: "The decision is recorded.",
      amended: "The amendment is saved, with its reason, in the history.",
      withdrawn: "The record is withdrawn.",
    };
    for (const [done, message] of Object.entries(expected)) {
      await web.get(`/decisions/${id()}?done=${done}`);
      expect(web.lastHtml, done).toContain(`<div class="notice" role="status"><p>${message}`);
    }
    for (const unknown of ["%3Cscript%3E", "toString", "constructor"]) {
      expect((await web.get(`/decisions/${id()}?done=${unknown}`)).status).toBe(200);
      expect(web.lastHtml, unknown).not.toContain('class="notice"');
    }
  });

  it("answers 404 for an unknown record and for a post that is not a decision record", async () => {
    const web = new WebClient(instance, instance.origin);
    expect((await web.get("/decisions/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect(web.lastHtml).toContain("There is no such decision record.");
    const weeknote = await instance.services.weeknotes.publish(
      "bins",
      alice,
      { title: "Week one", summary: "The first week.", body: "Hello.", tags: [], week: "2026-W48" },
      { draft: false },
    );
    expect((await web.get(`/decisions/${weeknote.id}`)).status).toBe(404);
    expect((await web.get(`/posts/${weeknote.id}`)).status).toBe(200);
    expect((await web.get("/decisions/not-an-id")).status).toBe(404);
  });
});
