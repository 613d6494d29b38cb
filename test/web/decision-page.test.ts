import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDecisionTime, type Decision } from "../../src/domain/decisions.ts";
import type { Actor } from "../../src/domain/types.ts";
import { page, type Page, visibleText } from "../helpers/html.ts";
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

/** The section of the page under a heading. */
const section = (html: string | Page, headingId: string) =>
  (typeof html === "string" ? page(html) : html).within(`section[aria-labelledby="${headingId}"]`);

/** The links to the forms that change a record, as "label /path-suffix". */
function actionLinks(html: string, id: string): string[] {
  const form = new RegExp(`^/decisions/${id}/([a-z]+)$`);
  return section(html, "actions-title")
    .all("a[href]")
    .flatMap((link) => {
      const path = form.exec(link.getAttribute("href")!)?.[1];
      return path ? [`${visibleText(link)} /${path}`] : [];
    });
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
    // The instance's clock runs with real time; the test moves it past the consultation's closing time.
    let ahead = 0;
    const now = () => Date.now() + ahead;
    instance = await startInstance({}, { serve: false, worker: false, now });
    ({ person: alice } = await seedCommunity(instance, { person: "alice", community: "bins" }));
    await seedCommunity(instance, { person: "carol", community: "parks" });
    await instance.services.actors.createPerson({ handle: "olly", displayName: "Olly Observer", password: PASSWORD });
    await instance.services.actors.addMember("bins", "olly", "observer");
    const { decisions, replies } = instance.services;

    const proposed = await decisions.propose("bins", alice, record);
    const recordUrl = `${instance.origin}/decisions/${proposed.post.id}`;
    expect(
      await replies.receive({
        uri: ZOE_REPLY,
        inReplyTo: recordUrl,
        localPostId: proposed.post.id,
        author: zoe,
        url: "https://elsewhere.example/@zoe/1",
        contentHtml: "<p>Tuesday collections <em>matter</em> to us.</p>",
        publishedAt: new Date(),
        updatedAt: null,
      }),
    ).toMatchObject({ outcome: "accept" });
    // Opened until a moment from now, then closed by the instance when that moment has passed.
    closesAt = new Date(now() + 300);
    await decisions.open(proposed.post.id, alice, { closesAt, reason: "Residents asked for a say." });
    ahead += 400;
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
    const shown = page(web.lastHtml);
    expect(shown.count("h1")).toBe(1);
    expect(shown.text("h1#record-title")).toBe(record.title);
    const meta = shown.within(".post-header p.meta");
    expect(meta.text()).toMatch(/^Decided · in The bins/);
    expect(meta.text("strong.status.status-decided")).toBe("Decided");
    expect(meta.text('a[href="/@bins"]')).toBe("The bins");
    expect(shown.text("p.summary")).toBe(decided.post.summary);
    expect(section(shown, "question-title").text()).toContain(record.question);
    const context = section(shown, "context-title");
    expect(context.texts("p")).toContain("Residents say the bins overflow.");
    expect(context.text("p strong")).toBe("overflow");
    const options = section(shown, "options-title");
    expect(options.texts("h3")).toContain("Stay fortnightly");
    expect(options.text()).toContain("Needs two more lorries.");
    const decision = section(shown, "decision-title");
    expect(decision.texts("p")).toContain("Bins are collected weekly from June.");
    expect(decision.text("p strong")).toBe("weekly");
    expect(section(shown, "rationale-title").text()).toContain("Overflowing bins cost more to clean up.");
    expect(section(shown, "consequences-title").text()).toContain("Two more lorries are hired.");
    const deciders = section(shown, "deciders-title");
    expect(deciders.text('a[href="/@alice"]')).toBe("alice Example");
    expect(deciders.text()).toContain("@bob@other.example");
    const dates = section(shown, "dates-title");
    expect(dates.texts("dt")).toEqual(["Proposed", "Consultation closed", "Decided"]);
    expect(dates.attrs("dd time", "datetime")).toEqual([
      decided.post.publishedAt!.toISOString(),
      closesAt.toISOString(),
      decided.decidedAt!.toISOString(),
    ]);
    expect(dates.text(`time[datetime="${decided.post.publishedAt!.toISOString()}"]`)).toBe(
      formatDecisionTime(decided.post.publishedAt!, "Europe/London"),
    );
    expect(section(shown, "tags-title").text('a.tag[href="/decisions?tag=budget"]')).toBe("#budget");
    expect(shown.attr('head link[rel="alternate"][type="application/atom+xml"][href="/@bins/decisions/feed.atom"]', "title")).toBe(
      "Decisions in The bins",
    );
    // Not open any more: no invitation, and no one signed out is offered to change it.
    expect(shown.text()).not.toContain("Open for comment until");
    expect(shown.count("#actions-title")).toBe(0);
  });

  it("shows the input that informed the record, with links, and that its author was told", async () => {
    const web = new WebClient(instance, instance.origin);
    await web.get(`/decisions/${id()}`);
    const informed = section(web.lastHtml, "informed-by-title");
    expect(informed.text('a[href="https://elsewhere.example/@zoe/1"]')).toBe("Reply from Zoë Remote");
    expect(informed.text()).toContain("How it informed the record: Showed that Tuesdays matter.");
    const acknowledgement = decided.informedBy[0]!.acknowledgementId;
    expect(acknowledgement).toBeTruthy();
    const told = informed.within("p", "We told them how their input was used:");
    expect(told.text()).toMatch(/^We told them how their input was used: /);
    expect(told.count(`a[href="/notes/${acknowledgement}"]`)).toBe(1);
  });

  it("shows the history in order: who, when, what, the status moves and the reasons, with the instance's own move as automatic", async () => {
    const web = new WebClient(instance, instance.origin);
    await web.get(`/decisions/${id()}`);
    const history = section(web.lastHtml, "history-title");
    expect(history.texts("ol.history > li p.history-action")).toEqual([
      "Proposed",
      "Opened for comment",
      "Comments closed",
      "Decided",
      "Amended: decision",
    ]);
    const entry = (i: number) => history.within(`ol.history > li:nth-child(${i + 1})`);
    expect(entry(0).text('a[href="/@alice"]')).toBe("alice Example");
    expect(entry(1).texts("p")).toContain("Status changed from Proposed to Open for comment");
    expect(entry(1).texts("p")).toContain("Reason: Residents asked for a say.");
    expect(entry(2).text("p.meta")).toMatch(/ · Automatically$/);
    expect(entry(2).count('[href^="/@"]')).toBe(0);
    expect(entry(2).texts("p")).toContain("Reason: The consultation reached its closing time.");
    expect(entry(3).texts("p")).toContain("Status changed from Comments closed to Decided");
    expect(entry(4).texts("p")).toContain("Reason: The lorries arrive a month later.");
    expect(entry(4).text()).not.toContain("Status changed");
    const history_ = await instance.services.decisions.history(id());
    expect(history.attrs("ol.history > li", "id")[4]).toBe(`history-${history_[4]!.id}`);
    expect(entry(4).attr("time", "datetime")).toBe(history_[4]!.at.toISOString());
    expect(entry(4).text("time")).toBe(formatDecisionTime(history_[4]!.at, "Europe/London"));
  });

  it("shows the replies from elsewhere and the note telling their author, under them", async () => {
    const web = new WebClient(instance, instance.origin);
    await web.get(`/decisions/${id()}`);
    const shown = page(web.lastHtml);
    const replies = section(shown, "replies-title");
    const zoes = replies.within("li.reply", "Tuesday collections matter to us.");
    expect(zoes.texts(".prose p")).toContain("Tuesday collections matter to us.");
    expect(zoes.text(".prose em")).toBe("matter");
    expect(zoes.text('a[href="https://elsewhere.example/@zoe"]')).toBe("Zoë Remote");
    // Under it, the community's reply telling her how it was used.
    const told = zoes.within("ol.replies li.reply");
    expect(told.attr("article", "aria-label")).toBe("Reply from The bins");
    expect(told.text()).toContain("How we used it: Showed that Tuesdays matter.");
    // Signed out, there is a way to reply from elsewhere or to sign in.
    expect(replies.text(`a[href="/sign-in?next=/decisions/${id()}"]`)).toBe("sign in");
    expect(shown.count("#reply-form")).toBe(0);
  });

  it("lets a signed-in person reply, after the consultation too, and shows the reply", async () => {
    const web = await signedIn("carol");
    await web.get(`/decisions/${id()}`);
    const form = page(web.lastHtml);
    expect(form.attr("form#reply-form", "action")).toBe(`/decisions/${id()}/replies`);
    expect(form.attr("form#reply-form", "method")).toBe("post");
    const res = await web.post(`/decisions/${id()}/replies`, { body: "Thank you for **listening**." }, HTML);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/decisions/${id()}?done=replied#replies-title`);
    await web.get(res.headers.get("location")!);
    const shown = page(web.lastHtml);
    expect(shown.text('.notice[role="status"]')).toBe("Your reply is published.");
    const replies = section(shown, "replies-title");
    expect(replies.texts(".prose p")).toContain("Thank you for listening.");
    expect(replies.texts(".prose strong")).toContain("listening");
    expect(replies.texts('a[href="/@carol"]')).toContain("carol Example");
    const notes = await instance.store.posts.listNotesReplyingTo([`${instance.origin}/decisions/${id()}`]);
    expect(notes.map((n) => n.bodyMarkdown)).toEqual(["Thank you for **listening**."]);
  });

  it("shows the reply form again with the text kept when a reply cannot be published", async () => {
    const web = await signedIn("carol");
    await web.get(`/decisions/${id()}`);
    const tooLong = "y".repeat(10_001);
    const res = await web.post(`/decisions/${id()}/replies`, { body: tooLong }, HTML);
    expect(res.status).toBe(400);
    const shown = page(web.lastHtml);
    expect(shown.text("title")).toMatch(/^Error: Collect bins weekly/);
    expect(shown.count("#body-error")).toBe(1);
    expect(shown.value('textarea[name="body"]')).toBe(tooLong);
    expect((await web.post(`/decisions/${id()}/replies`, { body: "   " }, HTML)).status).toBe(400);
    const notes = await instance.store.posts.listNotesReplyingTo([`${instance.origin}/decisions/${id()}`]);
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
    expect(invitation.text("h2#invitation-title")).toBe("Open for comment until 15 January 2027 at 17:00 GMT");
    expect(invitation.attr("h2#invitation-title time", "datetime")).toBe(until.toISOString());
    expect(invitation.text()).toContain(`@bins@${new URL(instance.origin).host}`);
    expect(page(anonymous.lastHtml).count("#actions-title")).toBe(0);

    const web = await signedIn("alice");
    await web.get(`/decisions/${open.post.id}`);
    expect(actionLinks(web.lastHtml, open.post.id)).toEqual(["Close comments /close", "Withdraw /withdraw", "Edit /edit"]);
    expect(page(web.lastHtml).count("#reply-form")).toBe(1);
    await web.get(`/decisions/${proposed.post.id}`);
    expect(actionLinks(web.lastHtml, proposed.post.id)).toEqual([
      "Open for comment /open",
      "Record the decision /decide",
      "Withdraw /withdraw",
      "Edit /edit",
    ]);
    expect(page(web.lastHtml).count("#invitation-title")).toBe(0);
    await web.get(`/decisions/${id()}`);
    expect(actionLinks(web.lastHtml, id())).toEqual(["Mark superseded /supersede", "Withdraw /withdraw", "Amend /edit"]);
    await web.get(`/decisions/${withdrawn.post.id}`);
    expect(page(web.lastHtml).count("#actions-title")).toBe(0);
    expect(section(web.lastHtml, "history-title").texts("p")).toContain("Reason: No buyer.");

    // An observer of the community, and an administrator of another, may not change it.
    for (const handle of ["olly", "carol"]) {
      const other = await signedIn(handle);
      await other.get(`/decisions/${open.post.id}`);
      const shown = page(other.lastHtml);
      expect(shown.count("#actions-title"), handle).toBe(0);
      const close = `/decisions/${open.post.id}/close`;
      expect(shown.count(`[href="${close}"], [action="${close}"]`), handle).toBe(0);
    }
  });

  it("links records that replace each other", async () => {
    const { decisions } = instance.services;
    const later = await decisions.propose("bins", alice, { ...record, title: "Collect bins twice a week" });
    await decisions.supersede(id(), alice, { by: later.post.id, reason: "Weekly was not enough." });
    const web = new WebClient(instance, instance.origin);
    await web.get(`/decisions/${id()}`);
    expect(page(web.lastHtml).text(".post-header strong.status.status-superseded")).toBe("Superseded");
    const supersededBy = section(web.lastHtml, "related-title").within("li", "Superseded by");
    expect(supersededBy.text()).toBe("Superseded by Collect bins twice a week");
    expect(supersededBy.text(`a[href="/decisions/${later.post.id}"]`)).toBe("Collect bins twice a week");
    await web.get(`/decisions/${later.post.id}`);
    const supersedes = section(web.lastHtml, "related-title").within("li", "Supersedes");
    expect(supersedes.text()).toBe("Supersedes Collect bins weekly");
    expect(supersedes.text(`a[href="/decisions/${id()}"]`)).toBe("Collect bins weekly");
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
      expect(page(web.lastHtml).text('.notice[role="status"] p').slice(0, message.length), done).toBe(message);
    }
    for (const unknown of ["%3Cscript%3E", "toString", "constructor"]) {
      expect((await web.get(`/decisions/${id()}?done=${unknown}`)).status).toBe(200);
      expect(page(web.lastHtml).count(".notice"), unknown).toBe(0);
    }
  });

  it("answers 404 for an unknown record and for a post that is not a decision record", async () => {
    const web = new WebClient(instance, instance.origin);
    expect((await web.get("/decisions/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect(page(web.lastHtml).text()).toContain("There is no such decision record.");
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
