import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/types.ts";
import { page } from "../helpers/html.ts";
import type { RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";
import { decisionInstance, formFields, RECORD, TEXT } from "./decision-form-helpers.ts";

/** The propose form as a browser sends it: every field, five option slots, filled or not. */
function proposeForm(fields: Record<string, string>, options: { title: string; description: string }[] = []) {
  const form: Record<string, string> = { community: "team", title: "", question: "", context: "", tags: "", action: "propose", ...fields };
  for (let slot = 1; slot <= 5; slot++) {
    form[`option-${slot}-title`] = options[slot - 1]?.title ?? "";
    form[`option-${slot}-description`] = options[slot - 1]?.description ?? "";
  }
  return form;
}

describe("proposing and editing decision records from the web", () => {
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

  const as = (handle: "alice" | "olive" | "otto") => t.as(handle);
  const propose = (title?: string) => t.propose(title);
  const state = (id: string) => t.state(id);
  const countDecisions = async () => (await instance.services.decisions.register({}, 1, 1000)).items.length;
  describe("the propose form", () => {
    it("offers the communities the person may publish in, the one asked for chosen, and five option slots", async () => {
      const res = await as("otto").get("/decisions/new?community=other");
      expect(res.status).toBe(200);
      const ottos = page(await res.text());
      expect(ottos.text("h1")).toBe("Propose a decision");
      expect(ottos.attr("select#community", "name")).toBe("community");
      expect(ottos.attrs("select#community option", "value")[0]).toBe("other");
      expect(ottos.attr("select#community option[selected]", "value")).toBe("other");
      expect(ottos.count('option[value="team"]')).toBe(0);

      await as("alice").get("/decisions/new");
      const form = page(as("alice").lastHtml);
      // Alice only observes the others: only the team is offered.
      expect(form.count('option[value="team"][selected]')).toBe(1);
      expect(form.count('option[value="other"]')).toBe(0);
      expect(form.attr("form#decision-form", "action")).toBe("/decisions/new");
      expect(form.attr("form#decision-form", "method")).toBe("post");
      expect(form.attr("form#decision-form", "novalidate")).not.toBeNull();
      expect(form.text()).toContain("What is being decided, in a sentence.");
      expect(form.text()).toContain("this is what Mastodon users see");
      for (let slot = 1; slot <= 5; slot++) {
        expect(form.texts("legend")).toContain(`Option ${slot}`);
        expect(form.text(`label[for="option-${slot}-title"]`)).toBe("Name");
        expect(form.text(`label[for="option-${slot}-description"]`)).toBe("Description");
      }
      expect(form.texts("legend")).not.toContain("Option 6");
      // Deciding belongs to its own step.
      expect(form.count('[name="decision"]')).toBe(0);
      const buttons = 'form#decision-form button[type="submit"][name="action"]';
      expect(form.attrs(buttons, "value")).toEqual(["preview", "draft", "propose"]);
      expect(form.texts(buttons)).toEqual(["Preview", "Save as draft", "Propose decision"]);
    });

    it("tells someone who may publish nowhere that they cannot propose, and stores nothing they post", async () => {
      const res = await as("olive").get("/decisions/new?community=team");
      expect(res.status).toBe(403);
      expect(page(await res.text()).text()).toContain("You cannot propose decisions yet");
      const before = await countDecisions();
      expect((await as("olive").post("/decisions/new", proposeForm(TEXT))).status).toBe(403);
      expect(await countDecisions()).toBe(before);
    });

    it("refuses a community where the person only observes, and stores nothing", async () => {
      await as("alice").get("/decisions/new");
      const before = await countDecisions();
      const res = await as("alice").post("/decisions/new", proposeForm({ ...TEXT, community: "other" }, RECORD.options));
      expect(res.status).toBe(403);
      expect(await countDecisions()).toBe(before);
    });

    it("previews the text with Markdown below the form, and stores nothing", async () => {
      await as("alice").get("/decisions/new");
      const before = await countDecisions();
      const res = await as("alice").post(
        "/decisions/new",
        proposeForm({ ...TEXT, action: "preview" }, [{ title: "Stay", description: "Keep it _as is_." }]),
      );
      expect(res.status).toBe(200);
      const shown = page(await res.text());
      expect(shown.text("title")).toMatch(/^Preview: Propose a decision/);
      expect(shown.text('a[href="#preview"]')).toBe("See the preview below the form");
      const preview = shown.within("form#decision-form ~ section.preview");
      expect(preview.text("h2#preview-title")).toBe("Preview");
      expect(preview.texts("p")).toContain("The current contract ends in March.");
      expect(preview.texts("strong")).toContain("March");
      expect(preview.texts("em")).toContain("as is");
      // The text is kept in the form.
      expect(shown.value('input[name="title"]')).toBe(RECORD.title);
      expect(shown.value('input#option-1-title[name="option-1-title"]')).toBe("Stay");
      expect(await countDecisions()).toBe(before);
    });

    it("names each missing field, keeps what was typed, and stores nothing", async () => {
      await as("alice").get("/decisions/new");
      const before = await countDecisions();
      const res = await as("alice").post("/decisions/new", proposeForm({ tags: "bins" }, [{ title: "Stay", description: "Renew." }]));
      expect(res.status).toBe(400);
      const shown = page(await res.text());
      expect(shown.text("title")).toMatch(/^Error: Propose a decision/);
      expect(shown.text("h2#error-summary-title")).toBe("There is a problem");
      for (const [field, label] of [
        ["title", "Title"],
        ["question", "Question"],
        ["context", "Context"],
      ]) {
        expect(shown.text(`.error-summary a[href="#${field}"]`)).toBe(`${label}: required`);
        expect(shown.text(`span.field-error#${field}-error`)).toMatch(/Required$/);
        expect(shown.attr(`#${field}`, "aria-invalid")).toBe("true");
        expect(shown.attr(`#${field}`, "aria-describedby")).toBe(`${field}-hint ${field}-error`);
      }
      expect(shown.value('input[name="tags"]')).toBe("bins");
      expect(shown.value('input#option-1-title[name="option-1-title"]')).toBe("Stay");
      expect(await countDecisions()).toBe(before);
    });

    it("refuses an option with a description but no name", async () => {
      await as("alice").get("/decisions/new");
      const before = await countDecisions();
      const res = await as("alice").post("/decisions/new", proposeForm(TEXT, [{ title: "", description: "A nameless option." }]));
      expect(res.status).toBe(400);
      const shown = page(await res.text());
      expect(shown.text('.error-summary a[href="#options"]')).toBe("Options considered: each option needs a name");
      expect(shown.value('textarea[name="option-1-description"]')).toBe("A nameless option.");
      expect(await countDecisions()).toBe(before);
    });

    it("proposes the record, skipping empty option slots, and goes to it", async () => {
      await as("alice").get("/decisions/new?community=team");
      const res = await as("alice").post(
        "/decisions/new",
        proposeForm({ ...TEXT, title: "Proposed from the web" }, [RECORD.options[0]!, { title: "", description: "" }, RECORD.options[1]!]),
      );
      expect(res.status).toBe(303);
      const id = /^\/decisions\/([0-9a-f-]{36})\?done=proposed$/.exec(res.headers.get("location") ?? "")?.[1];
      expect(id).toBeDefined();
      const stored = (await instance.services.decisions.get(id!))!;
      expect(stored.status).toBe("proposed");
      expect(stored.post.title).toBe("Proposed from the web");
      expect(stored.post.authorId).toBe(alice.id);
      expect(stored.question).toBe(RECORD.question);
      expect(stored.context).toBe(RECORD.context);
      expect(stored.options).toEqual(RECORD.options);
      expect(stored.post.tags).toEqual(["bins", "platforms"]);
      const history = await instance.services.decisions.history(id!);
      expect(history.map((h) => [h.action, h.toStatus, h.actorId])).toEqual([["proposed", "proposed", alice.id]]);
    });
  });

  describe("editing", () => {
    it("edits a proposed record from a prefilled form, and the history says what changed and why", async () => {
      const { post } = await propose("To be edited");
      const res = await as("alice").get(`/decisions/${post.id}/edit`);
      expect(res.status).toBe(200);
      const html = await res.text();
      const form = page(html);
      expect(form.text("h1")).toBe("Edit decision record");
      expect(form.text("strong.status.status-proposed")).toBe("Proposed");
      expect(form.texts(`a[href="/decisions/${post.id}"]`)).toContain("Back to the record");
      expect(form.text('label[for="reason"]')).toBe("What changed, and why");
      const reason = form.one("textarea#reason");
      expect([reason.getAttribute("name"), reason.getAttribute("rows"), reason.getAttribute("aria-describedby")]).toEqual([
        "reason",
        "3",
        "reason-hint",
      ]);
      // Not decided, nothing of the decision drafted: deciding is its own step.
      expect(form.count('[name="decision"]')).toBe(0);
      const fields = formFields(html);
      expect(fields).toMatchObject({
        title: "To be edited",
        question: RECORD.question,
        tags: "bins, platforms",
        "option-2-title": "Move",
        "option-5-title": "",
      });
      expect(fields).not.toHaveProperty("option-6-title");

      const saved = await as("alice").post(`/decisions/${post.id}/edit`, {
        ...fields,
        title: "Edited from the web",
        reason: "A clearer title.",
        action: "save",
      });
      expect(saved.status).toBe(303);
      expect(saved.headers.get("location")).toBe(`/decisions/${post.id}?done=edited`);
      const stored = (await instance.services.decisions.get(post.id))!;
      expect(stored.post.title).toBe("Edited from the web");
      expect(stored.options).toEqual(RECORD.options);
      const last = (await instance.services.decisions.history(post.id)).at(-1)!;
      expect([last.action, last.toStatus, last.actorId, last.reason, last.changes]).toEqual([
        "edited",
        "proposed",
        alice.id,
        "A clearer title.",
        ["title"],
      ]);
    });

    it("says when nothing has changed, and adds nothing to the history", async () => {
      const { post } = await propose("Unchanged");
      await as("alice").get(`/decisions/${post.id}/edit`);
      const before = await state(post.id);
      const res = await as("alice").post(`/decisions/${post.id}/edit`, { ...formFields(as("alice").lastHtml), action: "save" });
      expect(res.status).toBe(400);
      expect(page(await res.text()).text('a[href="#decision-form"]')).toBe("Nothing has changed.");
      expect(await state(post.id)).toEqual(before);
    });

    it("refuses to save over a change made since the form was shown (409)", async () => {
      const { post } = await propose("Edited twice");
      await as("alice").get(`/decisions/${post.id}/edit`);
      const fields = formFields(as("alice").lastHtml);
      // Someone else opens it for comment meanwhile.
      await instance.services.decisions.open(post.id, alice, { closesAt: new Date(Date.now() + 86_400_000) });
      const before = await state(post.id);
      const res = await as("alice").post(`/decisions/${post.id}/edit`, { ...fields, title: "My stale edit", action: "save" });
      expect(res.status).toBe(409);
      expect(page(await res.text()).text()).toContain("Someone else changed this record meanwhile");
      expect(await state(post.id)).toEqual(before);
    });

    it("previews an edit without storing it", async () => {
      const { post } = await propose("Previewed edit");
      await as("alice").get(`/decisions/${post.id}/edit`);
      const before = await state(post.id);
      const res = await as("alice").post(`/decisions/${post.id}/edit`, {
        ...formFields(as("alice").lastHtml),
        context: "Now with a [link](https://example.org).",
        action: "preview",
      });
      expect(res.status).toBe(200);
      const preview = page(await res.text()).within("section.preview");
      expect(preview.texts("p")).toContain("Now with a link.");
      expect(preview.text('a[href="https://example.org"]')).toBe("link");
      expect(await state(post.id)).toEqual(before);
    });

    it("amends a decided record only with a reason, which the history keeps", async () => {
      const { post } = await propose("To be amended");
      await instance.services.decisions.decide(post.id, alice, { decision: "We move.", rationale: "It costs less.", deciders: "alice" });
      const res = await as("alice").get(`/decisions/${post.id}/edit`);
      const html = await res.text();
      const form = page(html);
      expect(form.text("h1")).toBe("Amend decision record");
      expect(form.text()).toContain("shown in the record's history with your reason");
      expect(form.text('label[for="reason"]')).toBe("Reason for the amendment");
      expect(form.count("section#informedBy")).toBe(1);
      const fields = formFields(html);
      expect(fields).toMatchObject({ decision: "We move.", rationale: "It costs less.", deciders: "@alice" });

      const before = await state(post.id);
      const refused = await as("alice").post(`/decisions/${post.id}/edit`, {
        ...fields,
        decision: "We move in May.",
        reason: "",
        action: "save",
      });
      expect(refused.status).toBe(400);
      const refusedPage = page(await refused.text());
      expect(refusedPage.text('.error-summary a[href="#reason"]')).toBe("Reason for the amendment: required");
      expect(refusedPage.value('textarea[name="decision"]')).toBe("We move in May.");
      expect(await state(post.id)).toEqual(before);

      const amended = await as("alice").post(`/decisions/${post.id}/edit`, {
        ...fields,
        decision: "We move in May.",
        reason: "The date was agreed.",
        action: "save",
      });
      expect(amended.status).toBe(303);
      expect(amended.headers.get("location")).toBe(`/decisions/${post.id}?done=amended`);
      expect((await instance.services.decisions.get(post.id))!.decision).toBe("We move in May.");
      const last = (await instance.services.decisions.history(post.id)).at(-1)!;
      expect([last.action, last.toStatus, last.reason, last.changes]).toEqual(["amended", "decided", "The date was agreed.", ["decision"]]);
    });

    it("keeps withdrawn and superseded records as they are (409)", async () => {
      const withdrawn = await propose("Withdrawn, not editable");
      await instance.services.decisions.withdraw(withdrawn.post.id, alice, { reason: "Not needed." });
      const superseded = await propose("Superseded, not editable");
      await instance.services.decisions.decide(superseded.post.id, alice, { decision: "Yes.", rationale: "Because.", deciders: "alice" });
      const replacement = await propose("The replacement");
      await instance.services.decisions.supersede(superseded.post.id, alice, { by: replacement.post.id });
      for (const [{ post }, label] of [
        [withdrawn, "withdrawn"],
        [superseded, "superseded"],
      ] as const) {
        const before = await state(post.id);
        const refusal = await as("alice").get(`/decisions/${post.id}/edit`);
        expect(refusal.status).toBe(409);
        expect(page(await refusal.text()).text()).toContain(`This record is ${label}. That is final: it cannot change any more.`);
        const res = await as("alice").post(`/decisions/${post.id}/edit`, {
          ...TEXT,
          title: "Changed anyway",
          reason: "Why not.",
          action: "save",
        });
        expect(res.status).toBe(409);
        expect(await state(post.id)).toEqual(before);
      }
    });

    it("lets neither an observer nor someone from another community edit (403)", async () => {
      const { post } = await propose("Not theirs to edit");
      const before = await state(post.id);
      for (const handle of ["olive", "otto"] as const) {
        expect((await as(handle).get(`/decisions/${post.id}/edit`)).status, handle).toBe(403);
        const res = await as(handle).post(`/decisions/${post.id}/edit`, { ...TEXT, title: "Changed by someone else", action: "save" });
        expect(res.status, handle).toBe(403);
        const preview = await as(handle).post(`/decisions/${post.id}/edit`, { ...TEXT, action: "preview" });
        expect(preview.status, handle).toBe(403);
      }
      expect(await state(post.id)).toEqual(before);
    });

    it("answers 404 for a record that is not there", async () => {
      expect((await as("alice").get("/decisions/00000000-0000-4000-8000-000000000000/edit")).status).toBe(404);
    });
  });

  describe("forms that are not the person's to send", () => {
    it("sends someone signed out to sign in, and changes nothing", async () => {
      const { post } = await propose("Signed out");
      const before = await state(post.id);
      const client = new WebClient(instance, instance.origin);
      const form = await client.get(`/decisions/${post.id}/edit`);
      expect(form.status).toBe(303);
      expect(form.headers.get("location")).toBe(`/sign-in?next=/decisions/${post.id}/edit`);
      expect((await client.get("/decisions/new?community=team")).headers.get("location")).toBe(
        "/sign-in?next=/decisions/new%3Fcommunity%3Dteam",
      );
      await client.get("/sign-in");
      for (const path of ["edit", "withdraw", "open"]) {
        const res = await client.post(`/decisions/${post.id}/${path}`, { ...TEXT, reason: "Signed out.", action: "save" });
        expect(res.status, path).toBe(303);
        expect(res.headers.get("location"), path).toBe(`/sign-in?next=/decisions/${post.id}/${path}`);
      }
      const count = await countDecisions();
      const proposed = await client.post("/decisions/new", proposeForm(TEXT));
      expect(proposed.headers.get("location")).toBe("/sign-in?next=/decisions/new");
      expect(await countDecisions()).toBe(count);
      expect(await state(post.id)).toEqual(before);
    });

    it("refuses a form without its anti-forgery token (403), and changes nothing", async () => {
      const { post } = await propose("Forged");
      const before = await state(post.id);
      const count = await countDecisions();
      await as("alice").get(`/decisions/${post.id}/withdraw`);
      for (const [path, fields] of [
        [`/decisions/${post.id}/withdraw`, { reason: "Forged." }],
        [`/decisions/${post.id}/edit`, { ...TEXT, title: "Forged title", action: "save" }],
        ["/decisions/new", proposeForm(TEXT)],
      ] as const) {
        const res = await as("alice").post(path, { ...fields, _csrf: "" });
        expect(res.status, path).toBe(403);
        expect(page(await res.text()).text()).toContain("nothing was changed");
      }
      expect(await state(post.id)).toEqual(before);
      expect(await countDecisions()).toBe(count);
    });
  });
});
