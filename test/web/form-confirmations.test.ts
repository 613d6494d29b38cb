import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";

/** The weeknote form as a browser sends it, with its three image slots. */
function weeknoteForm(fields: Record<string, string>, image?: { file: File; alt: string }): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (let slot = 1; slot <= 3; slot++) {
    const chosen = slot === 1 ? image : undefined;
    form.append(`image-${slot}`, chosen?.file ?? new File([], "", { type: "application/octet-stream" }));
    form.append(`image-${slot}-alt`, chosen?.alt ?? "");
  }
  return form;
}

const WEEKNOTE = {
  community: "team",
  title: "Week 48: the panel met",
  week: "2026-W48",
  summary: "The panel met.",
  body: "We met.",
  tags: "",
};

/** After saving a draft, publishing and deleting, the page people land on says what was done. */
describe("what the weeknote forms confirm", () => {
  let instance: RunningInstance;
  let mediaDir: string;
  let client: WebClient;
  let png: File;

  beforeAll(async () => {
    mediaDir = mkdtempSync(join(tmpdir(), "connexo-media-"));
    instance = await startInstance({ CONNEXO_MEDIA_DIR: mediaDir }, { serve: false, worker: false });
    await seedCommunity(instance, { person: "alice", community: "team", role: "member" });
    client = new WebClient(instance, instance.origin);
    await client.signIn("alice", PASSWORD);
    const bytes = await sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 20, g: 120, b: 80 } } })
      .png()
      .toBuffer();
    png = new File([new Uint8Array(bytes)], "panel.png", { type: "image/png" });
  });
  afterAll(async () => {
    await instance?.stop();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  it("confirms a saved draft on the drafts page", async () => {
    await client.get("/compose");
    const res = await client.post("/compose", weeknoteForm({ ...WEEKNOTE, action: "draft" }));
    expect(res.headers.get("location")).toBe("/drafts?done=saved");
    await client.get("/drafts?done=saved");
    expect(page(client.lastHtml).text(".notice")).toContain("Your draft is saved.");
    // Without the word, no notice.
    await client.get("/drafts?done=toString");
    expect(page(client.lastHtml).count(".notice")).toBe(0);
  });

  it("confirms publishing on the weeknote's page, and deleting on its community's", async () => {
    await client.get("/compose");
    const res = await client.post("/compose", weeknoteForm({ ...WEEKNOTE, title: "Week 48: published", action: "publish" }));
    const location = res.headers.get("location")!;
    expect(location).toMatch(/^\/posts\/[0-9a-f-]+\?done=published$/);
    await client.get(location);
    expect(page(client.lastHtml).text()).toContain("Your weeknote is published.");

    const path = location.split("?")[0]!;
    await client.get(`${path}/delete`);
    const deleted = await client.post(`${path}/delete`, {});
    expect(deleted.headers.get("location")).toBe("/@team?deleted");
    await client.get("/@team?deleted");
    expect(page(client.lastHtml).text()).toContain("The weeknote is deleted");
    // Someone signed out is told nothing.
    const visitor = new WebClient(instance, instance.origin);
    await visitor.get("/@team?deleted");
    expect(visitor.lastHtml).not.toContain("The weeknote is deleted");
  });

  it("keeps a chosen image when another field has a problem", async () => {
    await client.get("/compose");
    const res = await client.post("/compose", weeknoteForm({ ...WEEKNOTE, title: "", action: "publish" }, { file: png, alt: "The panel" }));
    expect(res.status).toBe(400);
    const shown = page(client.lastHtml);
    expect(shown.count("#title-error")).toBe(1);
    // Uploaded and kept: the form shows it, and sends it again.
    expect(shown.text()).toContain("Description: The panel");
    expect(shown.count('input[type="hidden"][name="images"]')).toBe(1);
  });
});
