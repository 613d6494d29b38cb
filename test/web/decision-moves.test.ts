import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/types.ts";
import { page } from "../helpers/html.ts";
import type { RunningInstance } from "../helpers/instance.ts";
import { decisionInstance, formFields, TEXT, type Handle } from "./decision-form-helpers.ts";

const DAY = 86_400_000;

/** A time as a datetime-local value ("2026-12-05T17:00"), which the form still reads; these are winter days, when London keeps UTC. */
const fieldTime = (date: Date) => date.toISOString().slice(0, 16);

describe("moving decision records from the web", () => {
  let t: Awaited<ReturnType<typeof decisionInstance>>;
  let instance: RunningInstance;
  let alice: Actor;

  beforeAll(async () => {
    t = await decisionInstance();
    ({ instance, alice } = t);
  });
  afterAll(async () => {
    await instance?.stop();
  });

  const as = (handle: Handle) => t.as(handle);
  const decisions = () => instance.services.decisions;
  const history = async (id: string) =>
    (await decisions().history(id)).map((h) => [h.action, h.fromStatus, h.toStatus, h.actorId, h.reason]);
  const opened = async (title: string, closesAt = new Date(Date.now() + 7 * DAY)) => {
    const { post } = await t.propose(title);
    await decisions().open(post.id, alice, { closesAt });
    return post.id;
  };
  const decided = async (title: string) => {
    const { post } = await t.propose(title);
    await decisions().decide(post.id, alice, { decision: "We move.", rationale: "It costs less.", deciders: "alice" });
    return post.id;
  };
  type Fields = Record<string, string | string[]>;
  /** Fetches the move's form and sends it back as a browser would, with these fields filled in; the form must have been offered. */
  const move = async (id: string, path: string, fields: Fields, who: Handle = "alice") => {
    const form = await as(who).get(`/decisions/${id}/${path}`);
    expect(form.status, `the ${path} form`).toBe(200);
    return as(who).post(`/decisions/${id}/${path}`, { ...formFields(await form.text()), ...fields });
  };
  const expectDone = (res: Response, id: string, done: string) => {
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/decisions/${id}?done=${done}`);
  };

  describe("each move, made by the member who proposed the record", () => {
    it("opens a record for comment until a time in the instance's zone", async () => {
      const { post } = await t.propose("To be opened");
      const form = page(await (await as("alice").get(`/decisions/${post.id}/open`)).text());
      expect(form.text("h1")).toBe("Open for comment");
      expect(form.text("strong.status.status-proposed")).toBe("Proposed");
      expect(form.texts(`a[href="/decisions/${post.id}"]`)).toContain("Back to the record");
      expect(form.text('label[for="closesAt"]')).toBe("Comments close (Europe/London time)");
      const closesAtField = form.one("input#closesAt");
      expect(
        Object.fromEntries(
          ["type", "name", "value", "required", "aria-describedby"].map((name) => [name, closesAtField.getAttribute(name)]),
        ),
      ).toEqual({ type: "text", name: "closesAt", value: "", required: "", "aria-describedby": "closesAt-hint" });
      expect(form.text()).toContain("type 05/12/2026 17:00");

      const closesAt = new Date(Date.now() + 10 * DAY);
      const res = await as("alice").post(`/decisions/${post.id}/open`, {
        closesAt: `${fieldTime(closesAt)}:30`,
        reason: "The panel is ready.",
      });
      expectDone(res, post.id, "opened");
      const stored = (await decisions().get(post.id))!;
      expect(stored.status).toBe("open");
      expect(stored.consultationClosesAt?.toISOString()).toBe(`${fieldTime(closesAt)}:30.000Z`);
      expect((await history(post.id)).at(-1)).toEqual(["opened", "proposed", "open", alice.id, "The panel is ready."]);
    });

    it("closes comments before their time, with a reason", async () => {
      const id = await opened("To be closed early");
      const form = page(await (await as("alice").get(`/decisions/${id}/close`)).text());
      expect(form.text("h1")).toBe("Close comments");
      expect(form.text("strong.status.status-open")).toBe("Open for comment");
      expect(form.text()).toContain("Required, because comments close before the time that was announced.");
      const res = await as("alice").post(`/decisions/${id}/close`, { reason: "Everyone has answered." });
      expectDone(res, id, "closed");
      expect((await decisions().get(id))!.status).toBe("closed");
      expect((await history(id)).at(-1)).toEqual(["closed", "open", "closed", alice.id, "Everyone has answered."]);
    });

    it("closes comments after their time without a reason", async () => {
      const id = await opened("Closed when due", new Date(t.now() + 300));
      // The instance's clock moves past the closing time; no worker runs here, so the record stays open until someone closes it.
      t.later(400);
      const res = await move(id, "close", { reason: "" });
      expectDone(res, id, "closed");
      expect((await history(id)).at(-1)).toEqual(["closed", "open", "closed", alice.id, ""]);
    });

    it("records the decision, with the person recording it offered as a decider", async () => {
      const { post } = await t.propose("To be decided");
      const html = await (await as("alice").get(`/decisions/${post.id}/decide`)).text();
      const form = page(html);
      expect(form.text("h1")).toBe("Record the decision");
      expect(form.value('input[name="deciders"]')).toBe("@alice");
      expect(form.text()).toContain("sends them a public reply from the community that mentions them");
      const res = await as("alice").post(`/decisions/${post.id}/decide`, {
        ...formFields(html),
        decision: "We move in **May**.",
        rationale: "It costs less.",
        consequences: "The old contract ends.",
        deciders: "@alice, @bob@other.example",
        reason: "Agreed at the panel.",
      });
      expectDone(res, post.id, "decided");
      const stored = (await decisions().get(post.id))!;
      expect([stored.status, stored.decision, stored.rationale, stored.consequences]).toEqual([
        "decided",
        "We move in **May**.",
        "It costs less.",
        "The old contract ends.",
      ]);
      expect(stored.deciders).toEqual(["alice", "bob@other.example"]);
      expect(stored.decidedAt).not.toBeNull();
      expect((await history(post.id)).at(-1)).toEqual(["decided", "proposed", "decided", alice.id, "Agreed at the panel."]);
    });

    it("marks a decided record as superseded by one chosen from the community's records", async () => {
      const id = await decided("To be superseded");
      const replacement = await t.propose("The replacement");
      const form = page(await (await as("alice").get(`/decisions/${id}/supersede`)).text());
      expect(form.text("h1")).toBe("Mark as superseded");
      expect(form.text(`option[value="${replacement.post.id}"]`)).toBe("The replacement (Proposed)");
      // Not itself.
      expect(form.count(`option[value="${id}"]`)).toBe(0);
      const res = await as("alice").post(`/decisions/${id}/supersede`, {
        "by-record": replacement.post.id,
        "by-address": "",
        reason: "Replaced by the new plan.",
      });
      expectDone(res, id, "superseded");
      const stored = (await decisions().get(id))!;
      expect([stored.status, stored.supersededBy]).toEqual(["superseded", replacement.post.id]);
      expect((await history(id)).at(-1)).toEqual(["superseded", "decided", "superseded", alice.id, "Replaced by the new plan."]);
    });

    it("marks a decided record as superseded by a record whose address is pasted", async () => {
      const id = await decided("Superseded by address");
      const replacement = await t.propose("Replacement by address");
      // As copied from the address bar after proposing it.
      const res = await move(id, "supersede", {
        "by-record": "",
        "by-address": `${instance.origin}/decisions/${replacement.post.id}?done=proposed`,
        reason: "",
      });
      expectDone(res, id, "superseded");
      expect((await decisions().get(id))!.supersededBy).toBe(replacement.post.id);
    });

    it("withdraws a record with a reason, warning that it is final", async () => {
      const id = await opened("To be withdrawn");
      const form = page(await (await as("alice").get(`/decisions/${id}/withdraw`)).text());
      expect(form.text("h1")).toBe("Withdraw the record");
      expect(form.text()).toContain("Withdrawing is final.");
      expect(form.text('button[type="submit"][class="button button-warning"]')).toBe("Withdraw the record");
      const res = await as("alice").post(`/decisions/${id}/withdraw`, { reason: "The service is being closed." });
      expectDone(res, id, "withdrawn");
      expect((await decisions().get(id))!.status).toBe("withdrawn");
      expect((await history(id)).at(-1)).toEqual(["withdrawn", "open", "withdrawn", alice.id, "The service is being closed."]);
    });

    it("takes a record through its whole life from its pages", async () => {
      const { post } = await t.propose("A whole life");
      const id = post.id;
      expectDone(await move(id, "open", { closesAt: fieldTime(new Date(Date.now() + 3 * DAY)), reason: "" }), id, "opened");
      expectDone(await move(id, "close", { reason: "Enough replies." }), id, "closed");
      expectDone(await move(id, "decide", { decision: "Yes.", rationale: "Because." }), id, "decided");
      const later = await t.propose("A later life");
      expectDone(await move(id, "supersede", { "by-record": later.post.id, reason: "" }), id, "superseded");
      expect((await history(id)).map(([action, , to]) => [action, to])).toEqual([
        ["proposed", "proposed"],
        ["opened", "open"],
        ["closed", "closed"],
        ["decided", "decided"],
        ["superseded", "superseded"],
      ]);
    });
  });

  describe("what informed the decision", () => {
    const rita = {
      uri: "https://remote.example/users/rita",
      type: "Person",
      handle: "rita@remote.example",
      name: "Rita Remote",
      url: "https://remote.example/@rita",
      iconUrl: null,
      inbox: "https://remote.example/users/rita/inbox",
      sharedInbox: null,
    };
    const ritasReply = (id: string, n: number) => ({
      uri: `https://remote.example/users/rita/statuses/${n}`,
      inReplyTo: `${instance.origin}/decisions/${id}`,
      localPostId: id,
      author: rita,
      url: `https://remote.example/@rita/${n}`,
      contentHtml: "<p>Please keep the <em>Tuesday</em> collection.</p>",
      publishedAt: new Date(Date.now() - DAY),
      updatedAt: null,
    });

    it("shows each reply to cite, and citing one from elsewhere stores the note and answers its author", async () => {
      const id = await opened("Informed by replies");
      const reply = ritasReply(id, 1);
      expect(await instance.services.replies.receive(reply)).toMatchObject({ outcome: "accept" });
      await decisions().close(id, alice, { reason: "Closing to decide." });

      const html = await (await as("alice").get(`/decisions/${id}/decide`)).text();
      const form = page(html);
      expect(form.within("legend", "Reply from Rita Remote, ").count("time")).toBe(1);
      expect(form.texts("p")).toContain("Please keep the Tuesday collection.");
      expect(form.texts("p em")).toContain("Tuesday");
      const cite = form.one('input[type="checkbox"]#reply-1-cite');
      expect([cite.getAttribute("name"), cite.getAttribute("value"), cite.hasAttribute("checked")]).toEqual(["cite", reply.uri, false]);
      expect(form.text('label[for="reply-1-cite"]')).toBe("This informed the decision");
      expect(form.attr("textarea#reply-1-note", "name")).toBe(`note:${reply.uri}`);
      for (let slot = 1; slot <= 3; slot++) expect(form.texts("legend")).toContain(`Other post ${slot}`);

      const fields = {
        ...formFields(html),
        decision: "We keep Tuesday collections.",
        rationale: "",
        cite: reply.uri,
        [`note:${reply.uri}`]: "We kept the Tuesday round.",
        "other-1-url": "https://blog.example/bins",
        "other-1-note": "The costs came from here.",
      };
      const before = await t.state(id);
      // A problem elsewhere in the form keeps what was ticked and typed.
      const refused = await as("alice").post(`/decisions/${id}/decide`, fields);
      expect(refused.status).toBe(400);
      const refusedPage = page(await refused.text());
      expect(refusedPage.text('.error-summary a[href="#rationale"]')).toBe("Rationale: required");
      expect(refusedPage.count(`input[name="cite"][value="${reply.uri}"][checked]`)).toBe(1);
      expect(refusedPage.value(`textarea[name="note:${reply.uri}"]`)).toBe("We kept the Tuesday round.");
      expect(refusedPage.value('input[name="other-1-url"]')).toBe("https://blog.example/bins");
      expect(await t.state(id)).toEqual(before);

      const res = await as("alice").post(`/decisions/${id}/decide`, { ...fields, rationale: "Residents asked for it." });
      expectDone(res, id, "decided");
      const stored = (await decisions().get(id))!;
      expect(stored.informedBy.map((i) => [i.uri, i.note, i.authorName])).toEqual([
        [reply.uri, "We kept the Tuesday round.", "Rita Remote"],
        ["https://blog.example/bins", "The costs came from here.", null],
      ]);
      const acknowledgementId = stored.informedBy[0]!.acknowledgementId;
      expect(acknowledgementId).not.toBeNull();
      expect(stored.informedBy[1]!.acknowledgementId).toBeNull();
      const note = (await instance.store.posts.findById(acknowledgementId!))!;
      const team = (await instance.services.actors.find("team"))!;
      expect([note.kind, note.authorId, note.inReplyTo, note.state]).toEqual(["note", team.id, reply.uri, "published"]);
      const content = page(note.contentHtml);
      expect(content.text('a.u-url.mention[href="https://remote.example/@rita"]')).toBe("@rita");
      expect(content.text()).toContain("We kept the Tuesday round.");
      expect(content.attrs("a", "href")).toContain(`${instance.origin}/decisions/${id}`);
    });

    it("asks how a ticked reply informed the decision, and decides nothing without it", async () => {
      const { post } = await t.propose("Cited without a note");
      const reply = ritasReply(post.id, 2);
      await instance.services.replies.receive(reply);
      const html = await (await as("alice").get(`/decisions/${post.id}/decide`)).text();
      const before = await t.state(post.id);
      const res = await as("alice").post(`/decisions/${post.id}/decide`, {
        ...formFields(html),
        decision: "Yes.",
        rationale: "Because.",
        cite: reply.uri,
      });
      expect(res.status).toBe(400);
      expect(page(await res.text()).text('.error-summary a[href="#informedBy"]')).toBe(
        "What informed the decision: say how it informed the record",
      );
      expect(await t.state(post.id)).toEqual(before);
    });

    it("edits what informed a decided record from the amend form", async () => {
      const { post } = await t.propose("Amended inputs");
      const reply = ritasReply(post.id, 3);
      await instance.services.replies.receive(reply);
      await decisions().decide(post.id, alice, {
        decision: "Yes.",
        rationale: "Because.",
        deciders: "alice",
        informedBy: [{ uri: reply.uri, note: "First note." }],
      });
      const html = await (await as("alice").get(`/decisions/${post.id}/edit`)).text();
      const form = page(html);
      expect(form.count(`input[name="cite"][value="${reply.uri}"][checked]`)).toBe(1);
      expect(form.value(`textarea[name="note:${reply.uri}"]`)).toBe("First note.");
      const res = await as("alice").post(`/decisions/${post.id}/edit`, {
        ...formFields(html),
        [`note:${reply.uri}`]: "A clearer note.",
        reason: "Said more plainly.",
        action: "save",
      });
      expect(res.status).toBe(303);
      const stored = (await decisions().get(post.id))!;
      expect(stored.informedBy.map((i) => i.note)).toEqual(["A clearer note."]);
      const last = (await decisions().history(post.id)).at(-1)!;
      expect([last.action, last.reason, last.changes]).toEqual(["amended", "Said more plainly.", ["informed by"]]);
    });
  });

  describe("who may change a record: its proposer while they publish in the community, and its facilitators and administrators", () => {
    /** The links to a record's forms that its page offers this person. */
    const offered = async (who: Handle, id: string) => {
      await as(who).get(`/decisions/${id}`);
      const form = new RegExp(`^/decisions/${id}/([a-z]+)$`);
      return (
        page(as(who).lastHtml)
          .attrs("[href]", "href")
          .map((href) => form.exec(href ?? "")?.[1])
          // Setting the outcomes of replies is for everyone who publishes there (test/web/outcomes.test.ts), not a change of the record.
          .filter((path) => path !== undefined && path !== "outcomes")
      );
    };

    it("refuses a member who did not propose the record (403), offering her nothing, and changes nothing", async () => {
      const { post } = await t.propose("Alice's to change");
      const before = await t.state(post.id);
      expect(await offered("mona", post.id)).toEqual([]);
      for (const path of ["edit", "open", "withdraw"])
        expect((await as("mona").get(`/decisions/${post.id}/${path}`)).status, path).toBe(403);

      const edit = await as("mona").post(`/decisions/${post.id}/edit`, {
        ...TEXT,
        title: "Changed by mona",
        version: String(before.version),
        action: "save",
      });
      expect(edit.status).toBe(403);
      expect(page(await edit.text()).text()).toContain(
        "Only the member who proposed this record, or a facilitator or administrator of @team, can change it.",
      );
      const open = await as("mona").post(`/decisions/${post.id}/open`, { closesAt: fieldTime(new Date(Date.now() + DAY)), reason: "" });
      expect(open.status).toBe(403);
      expect(await t.state(post.id)).toEqual(before);
    });

    it("lets the member who proposed it edit it and move it on", async () => {
      const { post } = await instance.services.decisions.propose("team", (await instance.services.actors.find("mona"))!, {
        ...TEXT,
        title: "Mona's own",
      });
      expect(await offered("mona", post.id)).toEqual(["open", "decide", "withdraw", "edit"]);
      const form = await as("mona").get(`/decisions/${post.id}/edit`);
      expect(form.status).toBe(200);
      const edited = await as("mona").post(`/decisions/${post.id}/edit`, {
        ...formFields(await form.text()),
        title: "Mona's own, edited",
        action: "save",
      });
      expectDone(edited, post.id, "edited");
      expectDone(await move(post.id, "open", { closesAt: fieldTime(new Date(Date.now() + DAY)) }, "mona"), post.id, "opened");
      const stored = (await decisions().get(post.id))!;
      expect([stored.post.title, stored.status]).toEqual(["Mona's own, edited", "open"]);
    });

    it("lets a facilitator edit and move on a record someone else proposed", async () => {
      const { post } = await t.propose("For the facilitator");
      expect(await offered("fay", post.id)).toEqual(["open", "decide", "withdraw", "edit"]);
      const form = await as("fay").get(`/decisions/${post.id}/edit`);
      const edited = await as("fay").post(`/decisions/${post.id}/edit`, {
        ...formFields(await form.text()),
        title: "Facilitated",
        action: "save",
      });
      expectDone(edited, post.id, "edited");
      expectDone(await move(post.id, "open", { closesAt: fieldTime(new Date(Date.now() + DAY)) }, "fay"), post.id, "opened");
      const fay = (await instance.services.actors.find("fay"))!;
      expect((await history(post.id)).slice(1).map(([action, , , actorId]) => [action, actorId])).toEqual([
        ["edited", fay.id],
        ["opened", fay.id],
      ]);
    });
  });

  describe("refusals, which change nothing", () => {
    /** Each move, a record in a state that allows it, and what a filled-in form sends. */
    const allowedMoves = async (): Promise<{ path: string; id: string; fields: Fields }[]> => [
      {
        path: "open",
        id: (await t.propose("Open refused")).post.id,
        fields: { closesAt: fieldTime(new Date(Date.now() + DAY)), reason: "" },
      },
      { path: "close", id: await opened("Close refused"), fields: { reason: "Because." } },
      {
        path: "decide",
        id: (await t.propose("Decide refused")).post.id,
        fields: { decision: "Yes.", rationale: "Because.", deciders: "@alice" },
      },
      {
        path: "supersede",
        id: await decided("Supersede refused"),
        fields: { "by-record": (await t.propose("Refused replacement")).post.id },
      },
      { path: "withdraw", id: (await t.propose("Withdraw refused")).post.id, fields: { reason: "Because." } },
    ];

    it("refuses an observer and someone from another community (403)", async () => {
      for (const { path, id, fields } of await allowedMoves()) {
        const before = await t.state(id);
        for (const handle of ["olive", "otto"] as const) {
          expect((await as(handle).get(`/decisions/${id}/${path}`)).status, `${handle} ${path}`).toBe(403);
          const res = await as(handle).post(`/decisions/${id}/${path}`, fields);
          expect(res.status, `${handle} ${path}`).toBe(403);
          expect(page(await res.text()).text()).toContain("may not record decisions for @team");
        }
        expect(await t.state(id), path).toEqual(before);
      }
    });

    it("refuses moves in the wrong order (409), saying why and what can be done instead", async () => {
      const proposed = (await t.propose("Wrong order")).post.id;
      const open = await opened("Still open");
      const withdrawn = (await t.propose("Already withdrawn")).post.id;
      await decisions().withdraw(withdrawn, alice, { reason: "Not needed." });
      const cases: { path: string; id: string; fields: Fields; says: string }[] = [
        {
          path: "close",
          id: proposed,
          fields: { reason: "Because." },
          says: "This record is proposed. It can be closed only when it is open for comment.",
        },
        {
          path: "decide",
          id: open,
          fields: { decision: "Yes.", rationale: "Because.", deciders: "@alice" },
          says: "The consultation is still open. Close comments first",
        },
        {
          path: "supersede",
          id: proposed,
          fields: { "by-record": open },
          says: "This record is proposed. It can be superseded only when it is decided.",
        },
        {
          path: "withdraw",
          id: withdrawn,
          fields: { reason: "Again." },
          says: "This record is withdrawn. That is final: it cannot change any more.",
        },
        {
          path: "open",
          id: open,
          fields: { closesAt: fieldTime(new Date(Date.now() + DAY)) },
          says: "It can be opened only when it is proposed.",
        },
      ];
      for (const { path, id, fields, says } of cases) {
        const before = await t.state(id);
        const refusal = await as("alice").get(`/decisions/${id}/${path}`);
        expect(refusal.status, path).toBe(409);
        const shown = page(await refusal.text());
        expect(shown.text("h1"), path).toBe("This cannot be done now");
        expect(shown.text(), path).toContain(says);
        const res = await as("alice").post(`/decisions/${id}/${path}`, fields);
        expect(res.status, path).toBe(409);
        expect(await t.state(id), path).toEqual(before);
      }
      // What can be done instead is offered.
      await as("alice").get(`/decisions/${open}/decide`);
      const instead = page(as("alice").lastHtml);
      expect(instead.text(`a[href="/decisions/${open}/close"]`)).toBe("Close comments");
      expect(instead.text(`a[href="/decisions/${open}/withdraw"]`)).toBe("Withdraw the record");
      expect(instead.count(`[href="/decisions/${open}/open"], [action="/decisions/${open}/open"]`)).toBe(0);
    });

    it("asks for the reasons that are required (400)", async () => {
      const proposed = (await t.propose("No reason given")).post.id;
      const open = await opened("Closed early without a reason");
      for (const { path, id, label } of [
        { path: "withdraw", id: proposed, label: "Reason: required" },
        { path: "close", id: open, label: "Reason: required" },
      ]) {
        const before = await t.state(id);
        const res = await move(id, path, { reason: "  " });
        expect(res.status, path).toBe(400);
        const shown = page(await res.text());
        expect(shown.text('.error-summary a[href="#reason"]'), path).toBe(label);
        expect(shown.text("span.field-error#reason-error"), path).toMatch(/Required$/);
        expect(await t.state(id), path).toEqual(before);
      }
    });

    it("refuses a closing time in the past, or that is not a time (400), keeping what was typed", async () => {
      const id = (await t.propose("Bad closing times")).post.id;
      const before = await t.state(id);
      for (const [value, message] of [
        [fieldTime(new Date(Date.now() - DAY)), "Must be in the future"],
        ["next tuesday", "Enter the day, month, year and time, like 05/12/2026 17:00"],
        ["2026-02-31T10:00", "Enter the day, month, year and time, like 05/12/2026 17:00"],
        ["", "Required"],
      ] as const) {
        const res = await move(id, "open", { closesAt: value, reason: "Kept." });
        expect(res.status, value).toBe(400);
        const shown = page(await res.text());
        expect(shown.text("span.field-error#closesAt-error").endsWith(message), value).toBe(true);
        expect(shown.value('input[name="closesAt"]'), value).toBe(value);
        expect(shown.value('textarea[name="reason"]'), value).toBe("Kept.");
      }
      expect(await t.state(id)).toEqual(before);
    });

    it("asks for the decision and its rationale (400)", async () => {
      const id = (await t.propose("Undecided")).post.id;
      const before = await t.state(id);
      const res = await move(id, "decide", { decision: "", rationale: "", deciders: "" });
      expect(res.status).toBe(400);
      const shown = page(await res.text());
      expect(shown.text('.error-summary a[href="#decision"]')).toBe("Decision: required");
      expect(shown.text('.error-summary a[href="#rationale"]')).toBe("Rationale: required");
      expect(await t.state(id)).toEqual(before);
    });

    it("asks which record supersedes this one (400)", async () => {
      const id = await decided("Superseded by nothing");
      const before = await t.state(id);
      // A replacement already replaced itself would let two records replace each other.
      const replaced = await decided("Replaced already");
      const standing = await decided("Still standing");
      expect((await move(replaced, "supersede", { "by-record": standing })).status).toBe(303);
      for (const fields of [
        { "by-record": "" },
        { "by-address": `${instance.origin}/decisions/${id}` },
        { "by-address": `https://elsewhere.example/decisions/${standing}` },
        { "by-record": replaced },
      ] as Fields[]) {
        const res = await move(id, "supersede", fields);
        expect(res.status).toBe(400);
        expect(page(await res.text()).text('.error-summary a[href="#by"]')).toBe(
          "The record that replaces it: choose a standing record on this instance, other than this one",
        );
      }
      expect(await t.state(id)).toEqual(before);
    });

    it("answers 404 for a record that is not there", async () => {
      for (const path of ["open", "close", "decide", "supersede", "withdraw"]) {
        expect((await as("alice").get(`/decisions/00000000-0000-4000-8000-000000000000/${path}`)).status, path).toBe(404);
      }
    });
  });
});
