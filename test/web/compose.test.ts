import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isoWeekOf } from "../../src/domain/iso-week.ts";
import { cookieNames } from "../../src/web/session.ts";
import { queryRows } from "../helpers/database.ts";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";
/** What a browser's form submission asks for; without it Fedify answers /posts/:id/replies with the collection. */
const HTML = { accept: "text/html,application/xhtml+xml" };

/** The weeknote form as a browser sends it: every field, and an empty part for each file input left alone. */
function weeknoteForm(fields: Record<string, string | string[]>, slots: { file?: File; alt?: string }[] = []): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) form.append(name, v);
  for (let slot = 1; slot <= 3; slot++) {
    const { file, alt } = slots[slot - 1] ?? {};
    form.append(`image-${slot}`, file ?? new File([], "", { type: "application/octet-stream" }));
    form.append(`image-${slot}-alt`, alt ?? "");
  }
  return form;
}

const WEEKNOTE = {
  community: "team",
  title: "Week 48: the consultation opens",
  week: "2026-W48",
  summary: "We opened the consultation to everyone.",
  body: "We **opened** it, and\n\n- wrote the brief\n- met the panel",
  tags: "consultation, #OpenWork",
};

describe("writing weeknotes from the web", () => {
  let instance: RunningInstance;
  let mediaDir: string;
  let png: File;

  const signedIn = async (handle: string) => {
    const client = new WebClient(instance, instance.origin);
    await client.signIn(handle, PASSWORD);
    return client;
  };
  const events = async (postId: string) =>
    (await queryRows<{ payload: string }>(instance.database, "SELECT payload FROM queue_messages WHERE queue = 'events' ORDER BY id"))
      .map((r) => JSON.parse(r.payload) as { type: string; postId?: string })
      .filter((e) => e.postId === postId)
      .map((e) => e.type);
  const countRows = async (table: "posts" | "media") =>
    (await queryRows<{ n: number }>(instance.database, `SELECT count(*) AS n FROM ${table}`))[0]!.n;
  // The page it goes to confirms what was done (`?done=`).
  const postIdFrom = (res: Response) => /^\/posts\/([0-9a-f-]+)(\?done=\w+)?$/.exec(res.headers.get("location") ?? "")?.[1];
  const alice = () => instance.services.actors.find("alice").then((a) => a!);

  beforeAll(async () => {
    mediaDir = mkdtempSync(join(tmpdir(), "connexo-media-"));
    instance = await startInstance({ CONNEXO_MEDIA_DIR: mediaDir }, { serve: false, worker: false });
    await seedCommunity(instance, { person: "alice", community: "team", role: "member" });
    const { actors } = instance.services;
    await actors.createCommunity({ handle: "elsewhere", name: "The elsewhere", purpose: "Another team." });
    for (const [handle, memberships] of [
      [
        "bob",
        [
          ["team", "observer"],
          ["elsewhere", "member"],
        ],
      ],
      ["carol", []],
      ["dave", [["team", "member"]]],
    ] as const) {
      await actors.createPerson({ handle, displayName: `${handle} Example`, password: PASSWORD });
      for (const [community, role] of memberships) await actors.addMember(community, handle, role);
    }
    const bytes = await sharp({ create: { width: 800, height: 400, channels: 3, background: { r: 20, g: 120, b: 80 } } })
      .png()
      .toBuffer();
    png = new File([bytes], "chart.png", { type: "image/png" });
  });
  afterAll(async () => {
    await instance?.stop();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  describe("signed out", () => {
    it("sends people to sign in first, and back afterwards", async () => {
      const client = new WebClient(instance, instance.origin);
      const cases = [
        ["/compose", "/compose"],
        ["/compose?community=team", "/compose%3Fcommunity%3Dteam"],
        ["/drafts", "/drafts"],
        ["/posts/abc/edit", "/posts/abc/edit"],
        ["/posts/abc/delete", "/posts/abc/delete"],
      ];
      for (const [path, next] of cases) {
        const res = await client.get(path!);
        expect(res.status, path).toBe(303);
        expect(res.headers.get("location"), path).toBe(`/sign-in?next=${next}`);
      }
      await client.get("/sign-in");
      const reply = await client.post("/posts/abc/replies", { body: "Hello" }, HTML);
      expect(reply.status).toBe(303);
      expect(reply.headers.get("location")).toBe("/sign-in?next=/posts/abc");
    });
  });

  describe("the compose form", () => {
    it("offers the communities the person may publish in, this week, and three image slots", async () => {
      const client = await signedIn("bob");
      const res = await client.get("/compose");
      expect(res.status).toBe(200);
      const form = page(await res.text());
      expect(form.attr('form[action="/compose"]', "enctype")).toBe("multipart/form-data");
      expect(form.attr("select#community", "name")).toBe("community");
      expect(form.attrs("select#community option", "value")).toEqual(["elsewhere"]);
      expect(form.attr("select#community option[selected]", "value")).toBe("elsewhere");
      // Bob only observes the team: he may not publish there.
      expect(form.count('[value="team"]')).toBe(0);
      expect(form.value('input[name="week"]')).toBe(isoWeekOf(new Date()));
      expect(form.text()).toContain("like 2026-W48");
      expect(form.text()).toContain("what Mastodon users see");
      expect(form.attrs('input[type="file"]', "accept")).toEqual(Array(3).fill("image/jpeg,image/png,image/webp,image/gif"));
      expect(form.count('[name="image-1-alt"], [name="image-2-alt"], [name="image-3-alt"]')).toBe(3);
      for (const [value, label] of [
        ["preview", "Preview"],
        ["draft", "Save as draft"],
        ["publish", "Publish"],
      ]) {
        expect(form.text(`button[type="submit"][name="action"][value="${value}"]`)).toBe(label);
      }
    });

    it("preselects the community asked for", async () => {
      const client = await signedIn("alice");
      const form = page(await (await client.get("/compose?community=team")).text());
      expect(form.attr("select#community option[selected]", "value")).toBe("team");
    });

    it("tells someone who may publish nowhere what they need", async () => {
      const client = await signedIn("carol");
      const res = await client.get("/compose");
      expect(res.status).toBe(403);
      const refusal = page(await res.text());
      expect(refusal.text("h1")).toBe("You cannot write weeknotes yet");
      expect(refusal.count("select")).toBe(0);
    });
  });

  describe("composing", () => {
    it("publishes a weeknote with an image and goes to its page", async () => {
      const client = await signedIn("alice");
      await client.get("/compose");
      const res = await client.post(
        "/compose",
        weeknoteForm({ ...WEEKNOTE, action: "publish" }, [{ file: png, alt: "A bar chart of responses" }]),
      );
      expect(res.status).toBe(303);
      const id = postIdFrom(res);
      expect(id).toBeDefined();

      const post = (await instance.services.weeknotes.get(id!))!;
      expect(post).toMatchObject({
        state: "published",
        title: WEEKNOTE.title,
        isoWeek: "2026-W48",
        summary: WEEKNOTE.summary,
        tags: ["consultation", "OpenWork"],
      });
      expect(await events(id!)).toEqual(["post.published"]);
      const media = await instance.services.media.forPost(id!);
      expect(media.map((m) => m.alt)).toEqual(["A bar chart of responses"]);

      const published = page(await (await client.get(`/posts/${id}`)).text());
      expect(published.text(".prose strong")).toBe("opened");
      expect(published.attr(`img[src="/media/${media[0]!.fileName}"]`, "alt")).toBe("A bar chart of responses");
    });

    it("saves a draft, which is listed on the drafts page and not published", async () => {
      const client = await signedIn("alice");
      await client.get("/compose");
      const res = await client.post("/compose", weeknoteForm({ ...WEEKNOTE, title: "A draft about the panel", action: "draft" }));
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/drafts?done=saved");

      const drafts = await instance.services.weeknotes.drafts(await alice());
      const draft = drafts.find((d) => d.title === "A draft about the panel");
      expect(draft?.state).toBe("draft");
      expect(await events(draft!.id)).toEqual([]);

      const list = page(await (await client.get("/drafts")).text());
      expect(list.texts("h2")).toContain("A draft about the panel");
      expect(list.count(`a[href="/posts/${draft!.id}/edit"]`)).toBeGreaterThan(0);
      expect((await client.get(`/posts/${draft!.id}`)).status).toBe(404);
    });

    it("previews without saving, keeping the text and the uploaded images, which a later publish attaches", async () => {
      const client = await signedIn("alice");
      await client.get("/compose");
      const posts = await countRows("posts");
      const res = await client.post(
        "/compose",
        weeknoteForm({ ...WEEKNOTE, title: "Previewed <first>", action: "preview" }, [
          { file: png, alt: "Chart one" },
          {},
          { file: png, alt: "Chart two" },
        ]),
      );
      expect(res.status).toBe(200);
      const preview = page(await res.text());
      expect(await countRows("posts")).toBe(posts);
      expect(preview.text('section.preview[aria-labelledby="preview-title"] h2#preview-title')).toBe("Preview");
      expect(preview.text("section.preview strong")).toBe("opened");
      expect(preview.value('input[name="title"]')).toBe("Previewed <first>");
      // Form fields travel with CRLF line ends, as browsers send them.
      expect(preview.value('textarea[name="body"]')).toMatch(/^We \*\*opened\*\* it, and\r?\n\r?\n- wrote the brief\r?\n- met the panel$/);
      const kept = preview.attrs('input[type="hidden"][name="images"]', "value").map((id) => id!);
      expect(kept).toHaveLength(2);
      expect(preview.text()).toContain("Description: Chart one");
      expect(preview.text()).toContain("Description: Chart two");
      const remove = preview.one('input[type="checkbox"][name="remove"]');
      expect(remove.getAttribute("value")).toBe(kept[0]);
      expect(preview.text(`label[for="${remove.getAttribute("id")}"]`)).toBe("Remove image 1");

      // Publishing the re-shown form, with the first image ticked for removal.
      const publish = await client.post(
        "/compose",
        weeknoteForm({ ...WEEKNOTE, title: "Previewed", images: kept, remove: kept[0]!, action: "publish" }),
      );
      expect(publish.status).toBe(303);
      const media = await instance.services.media.forPost(postIdFrom(publish)!);
      expect(media.map((m) => [m.id, m.alt])).toEqual([[kept[1], "Chart two"]]);
    });

    it("shows the form again with each problem next to its field, keeping the text", async () => {
      const client = await signedIn("alice");
      await client.get("/compose");
      const posts = await countRows("posts");
      const res = await client.post("/compose", weeknoteForm({ ...WEEKNOTE, summary: "  ", action: "publish" }));
      expect(res.status).toBe(400);
      const shown = page(await res.text());
      expect(await countRows("posts")).toBe(posts);
      expect(shown.text("h2#error-summary-title")).toBe("There is a problem");
      expect(shown.text('.error-summary a[href="#summary"]')).toBe("Summary: required: it is what Mastodon users see");
      const field = shown.within('.field:has(label[for="summary"])');
      expect(field.text("label")).toBe("Summary");
      expect(field.count("span.hint#summary-hint")).toBe(1);
      expect(field.count("span.field-error#summary-error")).toBe(1);
      expect(shown.attr("#summary", "aria-describedby")).toBe("summary-hint summary-error");
      expect(shown.value('input[name="title"]')).toBe(WEEKNOTE.title);
      expect(shown.value('textarea[name="body"]')).toMatch(/- met the panel$/);
    });

    it("refuses a bad week next to the week field", async () => {
      const client = await signedIn("alice");
      await client.get("/compose");
      const res = await client.post("/compose", weeknoteForm({ ...WEEKNOTE, week: "week 48", action: "draft" }));
      expect(res.status).toBe(400);
      expect(page(await res.text()).count("span.field-error#week-error")).toBe(1);
    });

    it("asks for a description of an image, and refuses files that are not images, next to their slots", async () => {
      const client = await signedIn("alice");
      await client.get("/compose");
      const media = await countRows("media");
      const notAnImage = new File(["just some text, honestly"], "holiday.png", { type: "image/png" });
      const res = await client.post(
        "/compose",
        weeknoteForm({ ...WEEKNOTE, action: "publish" }, [
          { file: png, alt: "" },
          { file: notAnImage, alt: "A holiday" },
          { file: png, alt: "Fine" },
        ]),
      );
      expect(res.status).toBe(400);
      const shown = page(await res.text());
      expect(shown.text("span.field-error#image-1-alt-error")).toBe("Error: Required: describe the image, then choose the file again");
      expect(shown.text("span.field-error#image-2-error")).toMatch(/JPEG, PNG, WebP or GIF.*Choose the file again/);
      expect(shown.value('[name="image-2-alt"]')).toBe("A holiday");
      // The good one was uploaded and is kept for the next submission; the others were not stored.
      expect(await countRows("media")).toBe(media + 1);
      expect(shown.text()).toContain("Description: Fine");
      expect(shown.count('[name="images"]')).toBe(1);
    });

    it("does not drop a description silently when its file was not chosen", async () => {
      const client = await signedIn("alice");
      await client.get("/compose");
      const posts = await countRows("posts");
      const res = await client.post("/compose", weeknoteForm({ ...WEEKNOTE, action: "publish" }, [{}, { alt: "The team at the panel" }]));
      expect(res.status).toBe(400);
      const shown = page(await res.text());
      expect(shown.text("#image-2-error")).toMatch(/^Error: Choose the image this description is for, or clear the description/);
      expect(shown.value('[name="image-2-alt"]')).toBe("The team at the panel");
      expect(await countRows("posts")).toBe(posts);
    });

    it("refuses a body larger than three full images with a page that says why", async () => {
      const client = await signedIn("alice");
      await client.get("/compose");
      const big = () => new File([new Uint8Array(11 * 1024 * 1024)], "huge.png", { type: "image/png" });
      const res = await client.post(
        "/compose",
        weeknoteForm({ ...WEEKNOTE, action: "publish" }, [
          { file: big(), alt: "a" },
          { file: big(), alt: "b" },
          { file: big(), alt: "c" },
        ]),
      );
      expect(res.status).toBe(413);
      expect(page(await res.text()).text()).toContain("images may be at most 10 MB each");
    });

    it("refuses by its Content-Length a body that says it is too large, as browsers say", async () => {
      const client = await signedIn("alice");
      await client.get("/compose");
      const posts = await countRows("posts");
      const form = weeknoteForm({ ...WEEKNOTE, _csrf: client.csrfToken, action: "publish" }, [
        { file: new File([new Uint8Array(32 * 1024 * 1024)], "huge.png"), alt: "a" },
      ]);
      const encoded = new Response(form);
      const session = cookieNames(instance.config).session;
      const bytes = new Uint8Array(await encoded.arrayBuffer());
      const res = await instance.app.request(`${instance.origin}/compose`, {
        method: "POST",
        body: bytes,
        headers: {
          cookie: `${session}=${client.cookie(session)}`,
          origin: instance.origin,
          "content-type": encoded.headers.get("content-type")!,
          "content-length": String(bytes.byteLength),
        },
      });
      expect(res.status).toBe(413);
      expect(await countRows("posts")).toBe(posts);
    });
  });

  describe("permissions", () => {
    it("refuses a forged post to a community the person only observes, storing nothing", async () => {
      const client = await signedIn("bob");
      await client.get("/compose");
      const [posts, media] = [await countRows("posts"), await countRows("media")];
      const res = await client.post(
        "/compose",
        weeknoteForm({ ...WEEKNOTE, community: "team", action: "publish" }, [{ file: png, alt: "Chart" }]),
      );
      expect(res.status).toBe(403);
      expect([await countRows("posts"), await countRows("media")]).toEqual([posts, media]);
    });

    it("refuses someone in no community", async () => {
      const client = await signedIn("carol");
      await client.get("/");
      const posts = await countRows("posts");
      const res = await client.post("/compose", weeknoteForm({ ...WEEKNOTE, action: "publish" }));
      expect(res.status).toBe(403);
      expect(await countRows("posts")).toBe(posts);
    });

    it("does not let another member edit or delete someone's weeknote", async () => {
      const post = await instance.services.weeknotes.publish("team", await alice(), { ...WEEKNOTE, title: "Alice's own" });
      const client = await signedIn("dave");
      expect((await client.get(`/posts/${post.id}/edit`)).status).toBe(403);
      expect((await client.get(`/posts/${post.id}/delete`)).status).toBe(403);
      await client.get(`/posts/${post.id}`);
      expect((await client.post(`/posts/${post.id}/edit`, weeknoteForm({ ...WEEKNOTE, title: "Dave's now", action: "save" }))).status).toBe(
        403,
      );
      expect((await client.post(`/posts/${post.id}/delete`, {})).status).toBe(403);
      const after = (await instance.services.weeknotes.get(post.id))!;
      expect(after).toMatchObject({ title: "Alice's own", state: "published", version: 1 });
      expect(await events(post.id)).toEqual(["post.published"]);
      // And the page offers him no Edit button.
      expect(page(await (await client.get(`/posts/${post.id}`)).text()).count(`[href="/posts/${post.id}/edit"]`)).toBe(0);
    });

    it("answers 404 for a weeknote that does not exist", async () => {
      const client = await signedIn("alice");
      expect((await client.get("/posts/no-such-post/edit")).status).toBe(404);
      expect((await client.get("/posts/no-such-post/delete")).status).toBe(404);
    });
  });

  describe("forged forms", () => {
    it("change nothing: compose and delete need the page's token and our origin", async () => {
      const post = await instance.services.weeknotes.publish("team", await alice(), { ...WEEKNOTE, title: "Forgery target" });
      const client = await signedIn("alice");
      await client.get("/compose");
      const posts = await countRows("posts");

      const compose = await client.post("/compose", weeknoteForm({ ...WEEKNOTE, _csrf: "forged", action: "publish" }));
      expect(compose.status).toBe(403);
      const del = await client.post(`/posts/${post.id}/delete`, { _csrf: "forged" });
      expect(del.status).toBe(403);
      const crossSite = await client.post(`/posts/${post.id}/delete`, {}, { origin: "https://evil.example" });
      expect(crossSite.status).toBe(403);

      expect(await countRows("posts")).toBe(posts);
      expect((await instance.services.weeknotes.get(post.id))!.state).toBe("published");
      expect(await events(post.id)).toEqual(["post.published"]);
    });

    it("change nothing: a reply needs the page's token", async () => {
      const post = await instance.services.weeknotes.publish("team", await alice(), { ...WEEKNOTE, title: "Forged reply target" });
      const client = await signedIn("dave");
      await client.get(`/posts/${post.id}`);
      const posts = await countRows("posts");
      const reply = await client.post(`/posts/${post.id}/replies`, { _csrf: "forged", body: "Forged reply" }, HTML);
      expect(reply.status).toBe(403);
      expect(await countRows("posts")).toBe(posts);
    });
  });

  describe("editing", () => {
    it("shows the form filled in, with the attached images to keep or remove", async () => {
      const client = await signedIn("alice");
      await client.get("/compose");
      const created = await client.post(
        "/compose",
        weeknoteForm({ ...WEEKNOTE, title: "To edit", action: "publish" }, [{ file: png, alt: "Chart to keep" }]),
      );
      const id = postIdFrom(created)!;
      const [image] = await instance.services.media.forPost(id);

      const res = await client.get(`/posts/${id}/edit`);
      expect(res.status).toBe(200);
      const form = page(await res.text());
      expect(form.text("h1")).toBe("Edit ‘To edit’");
      expect(form.count(`form[action="/posts/${id}/edit"]`)).toBe(1);
      expect(form.value('input[name="title"]')).toBe("To edit");
      expect(form.value('input[name="week"]')).toBe("2026-W48");
      expect(form.value('input[name="tags"]')).toBe("consultation, OpenWork");
      expect(form.value('textarea[name="body"]')).toMatch(/- met the panel$/);
      expect(form.attrs('input[type="hidden"][name="images"]', "value")).toEqual([String(image!.id)]);
      expect(form.attrs('input[name="remove"]', "value")).toEqual([String(image!.id)]);
      expect(form.count('input[type="file"]')).toBe(3);
      expect(form.text('button[value="save"][class="button"]')).toBe("Save changes");
      expect(form.count('[value="publish"]')).toBe(0);
    });

    it("saves a published weeknote, recording an update to federate, and can remove an image", async () => {
      const client = await signedIn("alice");
      await client.get("/compose");
      const created = await client.post(
        "/compose",
        weeknoteForm({ ...WEEKNOTE, title: "Before", action: "publish" }, [{ file: png, alt: "Old chart" }]),
      );
      const id = postIdFrom(created)!;
      const [image] = await instance.services.media.forPost(id);

      await client.get(`/posts/${id}/edit`);
      const res = await client.post(
        `/posts/${id}/edit`,
        weeknoteForm({ ...WEEKNOTE, title: "After", images: image!.id, remove: image!.id, action: "save" }, [
          { file: png, alt: "New chart" },
        ]),
      );
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`/posts/${id}?done=saved`);
      const post = (await instance.services.weeknotes.get(id))!;
      expect(post).toMatchObject({ title: "After", state: "published", version: 2 });
      expect(await events(id)).toEqual(["post.published", "post.updated"]);
      expect((await instance.services.media.forPost(id)).map((m) => m.alt)).toEqual(["New chart"]);
    });

    it("shows errors on the edit form without saving", async () => {
      const post = await instance.services.weeknotes.publish("team", await alice(), { ...WEEKNOTE, title: "Stays" });
      const client = await signedIn("alice");
      await client.get(`/posts/${post.id}/edit`);
      const res = await client.post(`/posts/${post.id}/edit`, weeknoteForm({ ...WEEKNOTE, title: "", body: "Kept body", action: "save" }));
      expect(res.status).toBe(400);
      const shown = page(await res.text());
      expect(shown.count("#title-error")).toBe(1);
      expect(shown.value('textarea[name="body"]')).toBe("Kept body");
      expect((await instance.services.weeknotes.get(post.id))!.title).toBe("Stays");
      expect(await events(post.id)).toEqual(["post.published"]);
    });

    it("saves a draft as a draft, and publishes it when asked", async () => {
      const draft = await instance.services.weeknotes.publish(
        "team",
        await alice(),
        { ...WEEKNOTE, title: "Draft to publish" },
        { draft: true },
      );
      const client = await signedIn("alice");
      const form = page(await (await client.get(`/posts/${draft.id}/edit`)).text());
      expect(form.text('button[value="publish"][class="button"]')).toBe("Publish");

      const saved = await client.post(`/posts/${draft.id}/edit`, weeknoteForm({ ...WEEKNOTE, title: "Draft, saved", action: "save" }));
      expect(saved.headers.get("location")).toBe("/drafts?done=saved");
      expect((await instance.services.weeknotes.get(draft.id))!).toMatchObject({ title: "Draft, saved", state: "draft" });

      const published = await client.post(
        `/posts/${draft.id}/edit`,
        weeknoteForm({ ...WEEKNOTE, title: "Draft, published", action: "publish" }),
      );
      expect(published.status).toBe(303);
      expect(published.headers.get("location")).toBe(`/posts/${draft.id}?done=published`);
      expect((await instance.services.weeknotes.get(draft.id))!).toMatchObject({ title: "Draft, published", state: "published" });
      expect(await events(draft.id)).toEqual(["post.published"]);
    });
  });

  describe("deleting", () => {
    it("asks first, then deletes, records a deletion to federate and goes to the community", async () => {
      const post = await instance.services.weeknotes.publish("team", await alice(), { ...WEEKNOTE, title: "Short-lived" });
      const client = await signedIn("alice");
      const confirm = await client.get(`/posts/${post.id}/delete`);
      expect(confirm.status).toBe(200);
      const asked = page(await confirm.text());
      expect(asked.text("h1")).toBe("Delete ‘Short-lived’?");
      expect(asked.text()).toContain("It will be removed here and a deletion sent to every server that received it.");
      expect(asked.text('button[type="submit"][class="button button-warning"]')).toBe("Delete weeknote");
      expect(asked.texts(`a[href="/posts/${post.id}"]`)).toContain("Cancel, keep it");
      expect((await instance.services.weeknotes.get(post.id))!.state).toBe("published");

      const res = await client.post(`/posts/${post.id}/delete`, {});
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/@team?deleted");
      expect((await instance.services.weeknotes.get(post.id))!.state).toBe("deleted");
      expect(await events(post.id)).toEqual(["post.published", "post.deleted"]);
      expect((await client.get(`/posts/${post.id}`)).status).toBe(410);
      expect((await client.get(`/posts/${post.id}/delete`)).status).toBe(404);
    });

    it("deletes a draft without anything to federate", async () => {
      const draft = await instance.services.weeknotes.publish(
        "team",
        await alice(),
        { ...WEEKNOTE, title: "Unwanted draft" },
        { draft: true },
      );
      const client = await signedIn("alice");
      const asked = page(await (await client.get(`/posts/${draft.id}/delete`)).text());
      expect(asked.text()).toContain("This draft will be removed.");
      const res = await client.post(`/posts/${draft.id}/delete`, {});
      expect(res.headers.get("location")).toBe("/drafts?done=deleted");
      expect((await instance.services.weeknotes.get(draft.id))!.state).toBe("deleted");
      expect(await events(draft.id)).toEqual([]);
    });
  });

  describe("replying from a weeknote's page", () => {
    it("stores the reply as a note and shows it in the thread", async () => {
      const post = await instance.services.weeknotes.publish("team", await alice(), { ...WEEKNOTE, title: "Reply to me" });
      const client = await signedIn("dave");
      await client.get(`/posts/${post.id}`);
      const res = await client.post(`/posts/${post.id}/replies`, { body: "Thanks, **useful**." }, HTML);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`/posts/${post.id}#replies-title`);
      const thread = page(await (await client.get(`/posts/${post.id}`)).text()).within("ol.replies");
      expect(thread.text(".prose strong")).toBe("useful");
      expect(thread.text()).toContain("dave Example");
      const notes = await queryRows<{ in_reply_to: string }>(
        instance.database,
        "SELECT in_reply_to FROM posts WHERE kind = 'note' AND body_markdown = ?",
        ["Thanks, **useful**."],
      );
      expect(notes).toEqual([{ in_reply_to: `${instance.origin}/posts/${post.id}` }]);
    });

    it("shows the page again with the error next to the reply box when it is empty or too long", async () => {
      const post = await instance.services.weeknotes.publish("team", await alice(), { ...WEEKNOTE, title: "Careful replies" });
      const client = await signedIn("dave");
      await client.get(`/posts/${post.id}`);
      const posts = await countRows("posts");

      const empty = await client.post(`/posts/${post.id}/replies`, { body: "   " }, HTML);
      expect(empty.status).toBe(400);
      const emptyPage = page(await empty.text());
      expect(emptyPage.text("h1#post-title")).toBe("Careful replies");
      expect(emptyPage.text("span.field-error#body-error")).toBe("Error: Required");

      const long = "a".repeat(10_001);
      const tooLong = await client.post(`/posts/${post.id}/replies`, { body: long }, HTML);
      expect(tooLong.status).toBe(400);
      const longPage = page(await tooLong.text());
      expect(longPage.count("#body-error")).toBe(1);
      expect(longPage.value('textarea[name="body"]')).toBe(long);
      expect(await countRows("posts")).toBe(posts);
    });

    it("answers 404 when there is no such weeknote", async () => {
      const client = await signedIn("dave");
      await client.get("/");
      expect((await client.post("/posts/no-such-post/replies", { body: "Hello?" }, HTML)).status).toBe(404);
    });
  });
});
