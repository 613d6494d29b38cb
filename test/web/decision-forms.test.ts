import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/types.ts";
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
      const page = await res.text();
      expect(page).toContain("<h1>Propose a decision</h1>");
      expect(page).toMatch(/<select id="community" name="community"[^>]*>\s*<option value="other" selected="">/);
      expect(page).not.toContain('<option value="team"');

      await as("alice").get("/decisions/new");
      const form = as("alice").lastHtml;
      // Alice only observes the others: only the team is offered.
      expect(form).toMatch(/<option value="team" selected="">/);
      expect(form).not.toContain('<option value="other"');
      expect(form).toContain('<form method="post" action="/decisions/new" id="decision-form" novalidate="">');
      expect(form).toContain("What is being decided, in a sentence.");
      expect(form).toContain("this is what Mastodon users see");
      for (let slot = 1; slot <= 5; slot++) {
        expect(form).toContain(`<legend>Option ${slot}</legend>`);
        expect(form).toContain(`<label for="option-${slot}-title">Name</label>`);
        expect(form).toContain(`<label for="option-${slot}-description">Description</label>`);
      }
      expect(form).not.toContain("<legend>Option 6</legend>");
      // Deciding belongs to its own step.
      expect(form).not.toContain('name="decision"');
      expect(form).toMatch(
        /<button type="submit" name="action" value="preview"[^>]*>Preview<\/button>\s*<button type="submit" name="action" value="propose"[^>]*>Propose decision<\/button>/,
      );
    });

    it("tells someone who may publish nowhere that they cannot propose, and stores nothing they post", async () => {
      const res = await as("olive").get("/decisions/new?community=team");
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("You cannot propose decisions yet");
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
      const page = await res.text();
      expect(page).toContain("<title>Preview: Propose a decision");
      expect(page).toContain('<a href="#preview">See the preview below the form</a>');
      const preview = page.slice(page.indexOf("</form>"));
      expect(preview).toContain('<h2 id="preview-title">Preview</h2>');
      expect(preview).toContain("The current contract ends in <strong>March</strong>.");
      expect(preview).toContain("<em>as is</em>");
      // The text is kept in the form.
      expect(page).toContain(`value="${RECORD.title}"`);
      expect(page).toContain('id="option-1-title" name="option-1-title" value="Stay"');
      expect(await countDecisions()).toBe(before);
    });

    it("names each missing field, keeps what was typed, and stores nothing", async () => {
      await as("alice").get("/decisions/new");
      const before = await countDecisions();
      const res = await as("alice").post("/decisions/new", proposeForm({ tags: "bins" }, [{ title: "Stay", description: "Renew." }]));
      expect(res.status).toBe(400);
      const page = await res.text();
      expect(page).toContain("<title>Error: Propose a decision");
      expect(page).toContain('<h2 id="error-summary-title">There is a problem</h2>');
      for (const [field, label] of [
        ["title", "Title"],
        ["question", "Question"],
        ["context", "Context"],
      ]) {
        expect(page).toContain(`<a href="#${field}">${label}: required</a>`);
        expect(page).toMatch(new RegExp(`<span class="field-error" id="${field}-error">.*Required</span>`));
        expect(page).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"[^>]*aria-describedby="${field}-hint ${field}-error"`));
      }
      expect(page).toContain('name="tags" value="bins"');
      expect(page).toContain('id="option-1-title" name="option-1-title" value="Stay"');
      expect(await countDecisions()).toBe(before);
    });

    it("refuses an option with a description but no name", async () => {
      await as("alice").get("/decisions/new");
      const before = await countDecisions();
      const res = await as("alice").post("/decisions/new", proposeForm(TEXT, [{ title: "", description: "A nameless option." }]));
      expect(res.status).toBe(400);
      const page = await res.text();
      expect(page).toContain('<a href="#options">Options considered: each option needs a name</a>');
      expect(page).toContain("A nameless option.</textarea>");
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
      const page = await res.text();
      expect(page).toContain("<h1>Edit decision record</h1>");
      expect(page).toContain('<strong class="status status-proposed">Proposed</strong>');
      expect(page).toContain(`<a href="/decisions/${post.id}">Back to the record</a>`);
      expect(page).toContain('<label for="reason">What changed, and why</label>');
      expect(page).toMatch(/<textarea id="reason" name="reason" rows="3" aria-describedby="reason-hint">/);
      // Not decided, nothing of the decision drafted: deciding is its own step.
      expect(page).not.toContain('name="decision"');
      const fields = formFields(page);
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
      expect(await res.text()).toContain('<a href="#decision-form">Nothing has changed.</a>');
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
      expect(await res.text()).toContain("Someone else changed this record meanwhile");
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
      expect(await res.text()).toContain('Now with a <a href="https://example.org"');
      expect(await state(post.id)).toEqual(before);
    });

    it("amends a decided record only with a reason, which the history keeps", async () => {
      const { post } = await propose("To be amended");
      await instance.services.decisions.decide(post.id, alice, { decision: "We move.", rationale: "It costs less.", deciders: "alice" });
      const res = await as("alice").get(`/decisions/${post.id}/edit`);
      const page = await res.text();
      expect(page).toContain("<h1>Amend decision record</h1>");
      expect(page).toContain("shown in the record&#39;s history with your reason");
      expect(page).toContain('<label for="reason">Reason for the amendment</label>');
      expect(page).toContain('<section id="informedBy"');
      const fields = formFields(page);
      expect(fields).toMatchObject({ decision: "We move.", rationale: "It costs less.", deciders: "@alice" });

      const before = await state(post.id);
      const refused = await as("alice").post(`/decisions/${post.id}/edit`, {
        ...fields,
        decision: "We move in May.",
        reason: "",
        action: "save",
      });
      expect(refused.status).toBe(400);
      const refusedPage = await refused.text();
      expect(refusedPage).toContain('<a href="#reason">Reason for the amendment: required</a>');
      expect(refusedPage).toContain("We move in May.</textarea>");
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
        const page = await as("alice").get(`/decisions/${post.id}/edit`);
        expect(page.status).toBe(409);
        expect(await page.text()).toContain(`This record is ${label}. That is final: it cannot change any more.`);
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
        expect(await res.text()).toContain("nothing was changed");
      }
      expect(await state(post.id)).toEqual(before);
      expect(await countDecisions()).toBe(count);
    });
  });
});
