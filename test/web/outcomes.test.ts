import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { page } from "../helpers/html.ts";
import type { RunningInstance } from "../helpers/instance.ts";
import { queryRows } from "../helpers/database.ts";
import { decisionInstance, formFields, type Handle } from "./decision-form-helpers.ts";
import { remoteAccount } from "../helpers/remote-account.ts";

const DAY = 86_400_000;
const HTML = { accept: "text/html" };

const account = remoteAccount;

describe("the outcomes of a consultation's replies, from the record's pages", () => {
  let t: Awaited<ReturnType<typeof decisionInstance>>;
  let instance: RunningInstance;

  beforeAll(async () => {
    t = await decisionInstance();
    ({ instance } = t);
  });
  afterAll(async () => {
    await instance?.stop();
  });

  const as = (handle: Handle) => t.as(handle);
  const recordUrl = (id: string) => `${instance.origin}/decisions/${id}`;

  /** A record open for comment, with a reply from elsewhere and one from mona here. */
  async function consultation(title: string) {
    const { post } = await t.propose(title);
    await instance.services.decisions.open(post.id, t.alice, { closesAt: new Date(t.now() + 7 * DAY) });
    const bob = account("bob", "elsewhere.example");
    const remoteUri = `https://elsewhere.example/notes/${post.id}`;
    await instance.services.replies.receive({
      uri: remoteUri,
      inReplyTo: recordUrl(post.id),
      localPostId: post.id,
      author: bob,
      url: `https://elsewhere.example/@bob/${post.id}`,
      contentHtml: "<p>Please keep the Tuesday collection.</p>",
      publishedAt: new Date(t.now()),
      updatedAt: null,
    });
    const mona = (await instance.services.actors.find("mona"))!;
    const note = await instance.services.interactions.reply(mona, recordUrl(post.id), "Could the depot open on Saturdays?");
    return { id: post.id, remoteUri, localUri: `${instance.origin}/notes/${note.id}`, noteId: note.id };
  }

  const outcomesPage = async (who: Handle, id: string) => {
    const res = await as(who).get(`/decisions/${id}/outcomes`, HTML);
    return { status: res.status, page: page(await res.text()) };
  };
  /** Sends the outcomes form back as a browser would, with these fields. */
  const setOutcome = async (id: string, fields: Record<string, string | string[]>, who: Handle = "alice") => {
    const form = await as(who).get(`/decisions/${id}/outcomes`, HTML);
    expect(form.status).toBe(200);
    const { replies: _ticked, ...rest } = formFields(await form.text(), "outcomes-form");
    return as(who).post(`/decisions/${id}/outcomes`, { ...rest, ...fields });
  };
  const outcomeOf = (id: string, uri: string) => instance.store.outcomes.find(id, uri);
  const note = (id: string) => instance.store.posts.findById(id);
  const eventsOf = async (type: string) =>
    (await queryRows<{ payload: string }>(instance.database, "SELECT payload FROM queue_messages WHERE queue = 'events'"))
      .map((row) => JSON.parse(row.payload) as Record<string, unknown>)
      .filter((event) => event.type === type);

  it("lists the record's replies with their outcomes, for those who may set them", async () => {
    const { id } = await consultation("Listed replies");
    const { status, page: form } = await outcomesPage("alice", id);
    expect(status).toBe(200);
    expect(form.text("h1")).toBe("Outcomes of the replies");
    expect(form.texts(".outcome-replies li label")).toEqual([
      expect.stringContaining("bob Elsewhere @bob@elsewhere.example"),
      expect.stringContaining("mona Example @mona"),
    ]);
    expect(form.texts(".outcome-replies .outcome")).toEqual(["No outcome yet", "No outcome yet"]);
    expect(form.text(".meta")).toContain("2 replies received during the consultation without an outcome yet.");
    expect(form.attrs('input[name="kind"]', "value")).toEqual(["acknowledged", "informed", "referred", "not-used"]);
    const record = page(await (await as("olive").get(`/decisions/${id}`, HTML)).text());
    expect(record.text("#outcomes-title")).toBe("What became of the replies");
    expect(record.texts("section[aria-labelledby=outcomes-title] .outcome")).toEqual(["No outcome yet", "No outcome yet"]);
    // An observer reads the outcomes but is not offered the form.
    expect(record.attrs("a[href]", "href")).not.toContain(`/decisions/${id}/outcomes`);
    expect(page(await (await as("mona").get(`/decisions/${id}`, HTML)).text()).attrs("a[href]", "href")).toContain(
      `/decisions/${id}/outcomes`,
    );
  });

  it("acknowledges a reply: its author is answered in public, mentioning them, and the record's page says so", async () => {
    const { id, remoteUri } = await consultation("Acknowledged");
    const res = await setOutcome(id, { replies: remoteUri, kind: "acknowledged", note: "" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/decisions/${id}/outcomes?done=saved`);
    const outcome = (await outcomeOf(id, remoteUri))!;
    expect(outcome).toMatchObject({ kind: "acknowledged", note: "", referral: null, setBy: t.alice.id });
    const answer = (await note(outcome.answerNoteId!))!;
    expect(answer).toMatchObject({ kind: "note", inReplyTo: remoteUri, state: "published" });
    expect(answer.contentHtml).toContain('href="https://elsewhere.example/@bob" class="u-url mention">@<span>bob</span>');
    expect(answer.contentHtml).toContain("has been read and recorded");
    expect(answer.contentHtml).toContain(recordUrl(id));
    const done = page(await (await as("alice").get(`/decisions/${id}/outcomes?done=saved`, HTML)).text());
    expect(done.text("[role=status]")).toContain("The outcomes are saved");
    const record = page(await (await as("olive").get(`/decisions/${id}`, HTML)).text());
    expect(record.texts("section[aria-labelledby=outcomes-title] .outcome")).toEqual(["Acknowledged", "No outcome yet"]);
    expect(record.attrs("section[aria-labelledby=outcomes-title] a[href]", "href")).toContain(`/notes/${answer.id}`);
  });

  it("marks a reply as having informed the decision by citing it in the record, with a history entry", async () => {
    const { id, localUri, noteId } = await consultation("Informed");
    const before = (await instance.services.decisions.get(id))!.post.version;
    const res = await setOutcome(id, { replies: localUri, kind: "informed", note: "Saturday opening is in the plan." });
    expect(res.status).toBe(303);
    const record = (await instance.services.decisions.get(id))!;
    expect(record.post.version).toBe(before + 1);
    expect(record.informedBy).toEqual([
      expect.objectContaining({ uri: localUri, note: "Saturday opening is in the plan.", authorName: "mona Example" }),
    ]);
    const outcome = (await outcomeOf(id, localUri))!;
    expect(outcome.kind).toBe("informed");
    expect(record.informedBy[0]!.acknowledgementId).toBe(outcome.answerNoteId);
    expect((await instance.services.decisions.history(id)).at(-1)).toMatchObject({ action: "edited", changes: ["informed by"] });
    // The note here says what became of it.
    const notePage = page(await (await as("olive").get(`/notes/${noteId}`, HTML)).text());
    expect(notePage.text("section[aria-labelledby=outcome-title]")).toContain("Informed the decision: Saturday opening is in the plan.");
    expect(notePage.attrs("section[aria-labelledby=outcome-title] a", "href")).toContain(recordUrl(id));
  });

  it("refers replies to a community here, which lists them, and gives several replies one outcome at once", async () => {
    const { id, remoteUri, localUri } = await consultation("Referred here");
    const res = await setOutcome(id, { replies: [remoteUri, localUri], kind: "referred", note: "Depots are theirs.", referTo: "@other" });
    expect(res.status).toBe(303);
    for (const uri of [remoteUri, localUri]) {
      expect(await outcomeOf(id, uri)).toMatchObject({
        kind: "referred",
        note: "Depots are theirs.",
        referral: { target: "other", uri: `${instance.origin}/@other`, name: "The Others", state: "here" },
      });
    }
    const other = (await instance.services.actors.find("other"))!;
    const filed = await instance.store.outcomes.referredTo(other.id, 10);
    expect(filed.map((r) => r.objectUri).sort()).toEqual([localUri, remoteUri].sort());
    expect(filed[0]).toMatchObject({ note: "Depots are theirs.", referredByName: "The Team", recordUri: recordUrl(id) });
    const answer = (await note((await outcomeOf(id, remoteUri))!.answerNoteId!))!;
    expect(answer.contentHtml).toContain("has been referred to The Others");
    const listed = page(await (await as("olive").get("/@other/referred", HTML)).text());
    expect(listed.text()).toContain("Please keep the Tuesday collection.");
  });

  it("refers a reply to a community elsewhere through the outbox, and records that it is being sent", async () => {
    const { id, remoteUri } = await consultation("Referred elsewhere");
    const res = await setOutcome(id, { replies: remoteUri, kind: "referred", note: "", referTo: "@roads@county.example" });
    expect(res.status).toBe(303);
    expect(await outcomeOf(id, remoteUri)).toMatchObject({
      referral: { target: "roads@county.example", uri: null, name: null, state: "sending" },
    });
    expect(await eventsOf("outcome.referred")).toContainEqual({ type: "outcome.referred", decisionId: id, replyUri: remoteUri });
    const record = page(await (await as("olive").get(`/decisions/${id}`, HTML)).text());
    expect(record.text("section[aria-labelledby=outcomes-title] .outcome-referred")).toBe("Referred to @roads@county.example (being sent)");
  });

  it("says why a reply was not used, and changing an outcome updates the same answer rather than sending another", async () => {
    const { id, remoteUri } = await consultation("Changed outcome");
    await setOutcome(id, { replies: remoteUri, kind: "acknowledged" });
    const first = (await outcomeOf(id, remoteUri))!;
    const answerBefore = (await note(first.answerNoteId!))!;
    const published = (await eventsOf("post.published")).filter((e) => e.postId === first.answerNoteId);
    expect(published).toHaveLength(1);

    const res = await setOutcome(id, { replies: remoteUri, kind: "not-used", note: "Tuesday collections end by law." });
    expect(res.status).toBe(303);
    const second = (await outcomeOf(id, remoteUri))!;
    expect(second).toMatchObject({ kind: "not-used", note: "Tuesday collections end by law.", answerNoteId: first.answerNoteId });
    const answerAfter = (await note(first.answerNoteId!))!;
    expect(answerAfter.version).toBe(answerBefore.version + 1);
    expect(answerAfter.contentHtml).toContain("It was not used, because: Tuesday collections end by law.");
    expect((await eventsOf("post.published")).filter((e) => e.postId === first.answerNoteId)).toHaveLength(1);
    expect(await eventsOf("post.updated")).toContainEqual({
      type: "post.updated",
      postId: first.answerNoteId,
      version: answerAfter.version,
    });

    // The same outcome again changes nothing and sends nothing.
    await setOutcome(id, { replies: remoteUri, kind: "not-used", note: "Tuesday collections end by law." });
    expect((await note(first.answerNoteId!))!.version).toBe(answerAfter.version);
  });

  it("takes a cited reply's outcome back to informed-or-not with the citation: uncited by another outcome, it stops being cited", async () => {
    const { id, remoteUri } = await consultation("Uncited");
    await setOutcome(id, { replies: remoteUri, kind: "informed", note: "It shaped the timetable." });
    expect((await instance.services.decisions.get(id))!.informedBy.map((i) => i.uri)).toEqual([remoteUri]);
    await setOutcome(id, { replies: remoteUri, kind: "acknowledged" });
    expect((await instance.services.decisions.get(id))!.informedBy).toEqual([]);
    expect((await outcomeOf(id, remoteUri))!.kind).toBe("acknowledged");
  });

  it("takes a reply cited and thanked before outcomes were kept as informed, and answers it again only by an Update", async () => {
    const { id, remoteUri, localUri } = await consultation("Cited before");
    await setOutcome(id, { replies: remoteUri, kind: "informed", note: "It set the timetable." });
    const thanks = (await outcomeOf(id, remoteUri))!.answerNoteId!;
    // As a record cited before this release stands: the citation names its thanks, and no outcome is kept.
    await queryRows(instance.database, "DELETE FROM reply_outcomes WHERE decision_id = ?", [id]);
    const listed = page(await (await as("alice").get(`/decisions/${id}/outcomes`, HTML)).text());
    expect(listed.texts(".outcome-replies .outcome")).toEqual(["Informed the decision: It set the timetable.", "No outcome yet"]);

    await setOutcome(id, { replies: localUri, kind: "informed", note: "And the Saturday opening." });
    await setOutcome(id, { replies: remoteUri, kind: "not-used", note: "Overtaken by the budget." });
    expect((await outcomeOf(id, remoteUri))!.answerNoteId).toBe(thanks);
    expect((await eventsOf("post.published")).filter((e) => e.postId === thanks)).toHaveLength(1);
  });

  it("refuses to decide when the decision stops citing a reply that informed it, unless the decider says why", async () => {
    const { id, remoteUri, localUri } = await consultation("Uncited at the decision");
    await setOutcome(id, { replies: remoteUri, kind: "informed", note: "Kept Tuesdays." });
    await setOutcome(id, { replies: localUri, kind: "acknowledged" });
    await instance.services.decisions.close(id, t.alice, { reason: "Enough views." });
    const decide = { decision: "Move to Wednesdays.", rationale: "Cheaper.", deciders: "alice", informedBy: [] };
    await expect(instance.services.decisions.decide(id, t.alice, decide)).rejects.toThrow(
      "1 reply received during the consultation has no outcome yet",
    );
    expect((await instance.services.decisions.get(id))!.status).toBe("closed");
    expect((await outcomeOf(id, remoteUri))!.kind).toBe("informed");
  });

  it("keeps what another instance says of a note here only from the server of the record the note answered", async () => {
    const mona = (await instance.services.actors.find("mona"))!;
    const record = "https://county.example/decisions/3b2c1d4e-0000-4000-8000-000000000001";
    const note = await instance.services.interactions.reply(mona, record, "A reply to the county.");
    const told = {
      replyUri: `${instance.origin}/notes/${note.id}`,
      postId: "",
      answerUri: "https://county.example/notes/answer",
      recordUri: record,
      recordTitle: "County roads",
      kind: "not-used" as const,
      note: "Spam.",
      referredTo: null,
      updatedAt: new Date(),
    };
    expect(await instance.services.outcomes.receiveElsewhere({ ...told, answeredBy: "https://evil.example/users/x" })).toBe(false);
    expect(
      await instance.services.outcomes.receiveElsewhere({
        ...told,
        recordUri: "https://evil.example/decisions/x",
        answeredBy: "https://evil.example/users/x",
      }),
    ).toBe(false);
    expect(await instance.store.outcomes.elsewhereFor([note.id])).toEqual([]);
    expect(await instance.services.outcomes.receiveElsewhere({ ...told, answeredBy: "https://county.example/@roads" })).toBe(true);
    expect(await instance.store.outcomes.elsewhereFor([note.id])).toHaveLength(1);
  });

  describe("refusals, which change nothing", () => {
    const refused = async (id: string, fields: Record<string, string | string[]>, field: string, message: string) => {
      const before = await instance.store.outcomes.forDecisions([id]);
      const res = await setOutcome(id, fields);
      expect(res.status).toBe(400);
      const shown = page(await res.text());
      expect(shown.text(".error-summary")).toContain(message);
      expect(shown.text(`#${field}-error`)).toContain(message.charAt(0).toUpperCase() + message.slice(1));
      expect(await instance.store.outcomes.forDecisions([id])).toEqual(before);
    };

    it("asks for replies, an outcome, and the note each outcome needs, keeping what was chosen", async () => {
      const { id, remoteUri } = await consultation("Refusals");
      await refused(id, { kind: "acknowledged" }, "replies", "choose at least one reply");
      await refused(id, { replies: remoteUri }, "kind", "choose an outcome");
      await refused(id, { replies: remoteUri, kind: "informed", note: " " }, "note", "say how it informed the decision");
      await refused(id, { replies: remoteUri, kind: "not-used" }, "note", "say why it was not used");
      await refused(id, { replies: remoteUri, kind: "referred" }, "referTo", "name the community to refer it to");
      await refused(id, { replies: remoteUri, kind: "referred", referTo: "@nobody" }, "referTo", "there is no community @nobody here");
      await refused(
        id,
        { replies: remoteUri, kind: "referred", referTo: "@team" },
        "referTo",
        "choose a community other than the record's own",
      );
      await refused(id, { replies: remoteUri, kind: "referred", referTo: "not a handle!" }, "referTo", "give the community's handle");
      await refused(
        id,
        { replies: "https://elsewhere.example/notes/unknown", kind: "acknowledged" },
        "replies",
        "choose among this record's replies",
      );
      const res = await setOutcome(id, { replies: remoteUri, kind: "not-used" });
      const shown = page(await res.text());
      expect(shown.attrs('input[name="replies"][checked]', "value")).toEqual([remoteUri]);
      expect(shown.attrs('input[name="kind"][checked]', "value")).toEqual(["not-used"]);
      expect(shown.text("title")).toMatch(/^Error: /);
    });

    it("refuses an observer and someone from another community (403), and anyone signed out is asked to sign in", async () => {
      const { id, remoteUri } = await consultation("Permissions");
      expect((await outcomesPage("olive", id)).status).toBe(403);
      expect((await outcomesPage("otto", id)).status).toBe(403);
      await as("alice").get(`/decisions/${id}/outcomes`, HTML);
      const posted = await as("olive").post(`/decisions/${id}/outcomes`, {
        _csrf: as("olive").csrfToken,
        replies: remoteUri,
        kind: "acknowledged",
      });
      expect(posted.status).toBe(403);
      const signedOut = await instance.app.request(`${instance.origin}/decisions/${id}/outcomes`, { headers: HTML });
      expect(signedOut.status).toBe(303);
      expect(signedOut.headers.get("location")).toContain("/sign-in");
      expect(await instance.store.outcomes.forDecisions([id])).toEqual([]);
    });

    it("refuses a form without its anti-forgery token", async () => {
      const { id, remoteUri } = await consultation("Forged");
      await as("alice").get(`/decisions/${id}/outcomes`, HTML);
      const res = await as("alice").post(`/decisions/${id}/outcomes`, { _csrf: "forged", replies: remoteUri, kind: "acknowledged" });
      expect(res.status).toBe(403);
      expect(await instance.store.outcomes.forDecisions([id])).toEqual([]);
    });

    it("refuses outcomes on a withdrawn record, offering no form", async () => {
      const { id, remoteUri } = await consultation("Withdrawn");
      await instance.services.decisions.withdraw(id, t.alice, { reason: "Overtaken by events." });
      const res = await as("alice").post(`/decisions/${id}/outcomes`, { replies: remoteUri, kind: "acknowledged" });
      expect(res.status).toBe(403);
      await expect(instance.services.outcomes.set(id, t.alice, { replies: [remoteUri], kind: "acknowledged" })).rejects.toThrow(
        "withdrawn record's outcomes cannot be changed",
      );
    });
  });

  it("sets outcomes through the API, with the same checks", async () => {
    const { id, remoteUri, localUri } = await consultation("By the API");
    const token = await instance.services.tokens.issue("alice");
    const api = (method: string, body?: unknown) =>
      instance.app.request(`${instance.origin}/api/v1/decisions/${id}/outcomes`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const listed = (await (await api("GET")).json()) as { reply: string; outcome: string | null }[];
    expect(listed.map((r) => [r.reply, r.outcome])).toEqual([
      [remoteUri, null],
      [localUri, null],
    ]);
    const refused = await api("POST", { replies: [remoteUri], outcome: "not-used" });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { fields: Record<string, string> }).fields).toEqual({ note: "say why it was not used" });
    const res = await api("POST", { replies: [remoteUri, localUri], outcome: "not-used", note: "Out of scope." });
    expect(res.status).toBe(200);
    const after = (await res.json()) as { reply: string; outcome: string; note: string }[];
    expect(after.map((r) => [r.outcome, r.note])).toEqual([
      ["not-used", "Out of scope."],
      ["not-used", "Out of scope."],
    ]);
    const olive = await instance.services.tokens.issue("olive");
    const forbidden = await instance.app.request(`${instance.origin}/api/v1/decisions/${id}/outcomes`, {
      method: "POST",
      headers: { authorization: `Bearer ${olive}`, "content-type": "application/json" },
      body: JSON.stringify({ replies: [remoteUri], outcome: "acknowledged" }),
    });
    expect(forbidden.status).toBe(403);
  });

  describe("deciding while replies have no outcome", () => {
    it("refuses the decision until each reply has an outcome, or the decider says why, and says so on the form", async () => {
      const { id, remoteUri, localUri } = await consultation("Gate");
      await instance.services.decisions.close(id, t.alice, { reason: "Enough views." });
      const formHtml = await (await as("alice").get(`/decisions/${id}/decide`, HTML)).text();
      const form = page(formHtml);
      expect(form.text(".panel")).toContain("2 replies received during the consultation have no outcome yet.");
      expect(form.attrs(".panel a", "href")).toEqual([`/decisions/${id}/outcomes`]);

      const decide = { decision: "Keep Tuesdays.", rationale: "Most asked for it.", deciders: "alice" };
      const refused = await as("alice").post(`/decisions/${id}/decide`, { ...formFields(formHtml), ...decide, reason: "" });
      expect(refused.status).toBe(400);
      expect(page(await refused.text()).text("#reason-error")).toContain("Say why, while replies have no outcome");
      expect((await instance.services.decisions.get(id))!.status).toBe("closed");

      await instance.services.outcomes.set(id, t.alice, { replies: [remoteUri], kind: "acknowledged" });
      // Citing the other reply in the decision itself gives it its outcome.
      const decided = await instance.services.decisions.decide(id, t.alice, {
        ...decide,
        informedBy: [{ uri: localUri, note: "The Saturday opening." }],
      });
      expect(decided.status).toBe("decided");
      expect((await outcomeOf(id, localUri))!.kind).toBe("informed");
    });

    it("records the decision without outcomes when the decider says why, keeping the reason in the history", async () => {
      const { id } = await consultation("Gate with a reason");
      await instance.services.decisions.close(id, t.alice, { reason: "Enough views." });
      const decided = await instance.services.decisions.decide(id, t.alice, {
        decision: "Keep Tuesdays.",
        rationale: "Urgent.",
        deciders: "alice",
        reason: "The council had to decide this week; outcomes follow.",
      });
      expect(decided.status).toBe("decided");
      expect((await instance.services.decisions.history(id)).at(-1)).toMatchObject({
        action: "decided",
        reason: "The council had to decide this week; outcomes follow.",
      });
    });
  });
});
