import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

/** A small form limit, so that an image (which has its own limit) is larger than it. */
const FORM_LIMIT = 64 * 1024;
const CHUNK = 16 * 1024;
const TWO_HUNDRED_MB = 200 * 1024 * 1024;

/**
 * A body of up to `total` bytes that is only produced as it is read (no
 * buffering ahead), counting how much the server pulled.
 */
function countingBody(total: number) {
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.pulled >= total) return controller.close();
        counter.pulled += CHUNK;
        controller.enqueue(new Uint8Array(CHUNK).fill(0x61));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

describe("request body limits", () => {
  let instance: RunningInstance;
  let mediaDir: string;

  /** Sends a POST whose body is a stream; Content-Length only when given. */
  const postStream = (path: string, stream: ReadableStream<Uint8Array>, headers: Record<string, string>) =>
    instance.app.request(`${instance.origin}${path}`, { method: "POST", body: stream, headers, duplex: "half" } as RequestInit);

  beforeAll(async () => {
    mediaDir = mkdtempSync(join(tmpdir(), "connexo-media-"));
    instance = await startInstance(
      { CONNEXO_FORM_MAX_BYTES: String(FORM_LIMIT), CONNEXO_MEDIA_DIR: mediaDir },
      { serve: false, worker: false },
    );
    await seedCommunity(instance, { person: "alice", community: "team" });
  });
  afterAll(async () => {
    await instance?.stop();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  it("refuses a streamed sign-in form larger than the limit (413) having read no more than the limit and a chunk", async () => {
    const { stream, counter } = countingBody(TWO_HUNDRED_MB);
    const res = await postStream("/sign-in", stream, { "content-type": "application/x-www-form-urlencoded", origin: instance.origin });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page(await res.text()).text()).toContain("That was more than a form can send (at most 64 KB). Nothing was saved.");
    expect(counter.pulled).toBeGreaterThan(FORM_LIMIT);
    expect(counter.pulled).toBeLessThanOrEqual(FORM_LIMIT + CHUNK);
  });

  it("refuses a form whose Content-Length is larger than the limit (413) without reading any of it", async () => {
    const { stream, counter } = countingBody(TWO_HUNDRED_MB);
    const res = await postStream("/sign-in", stream, {
      "content-type": "application/x-www-form-urlencoded",
      "content-length": String(TWO_HUNDRED_MB),
      origin: instance.origin,
    });
    expect(res.status).toBe(413);
    expect(counter.pulled).toBe(0);
  });

  it("answers the JSON API's oversized calls with JSON (413)", async () => {
    const { stream, counter } = countingBody(TWO_HUNDRED_MB);
    const res = await postStream("/api/v1/weeknotes", stream, { "content-type": "application/json" });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: "The body is larger than the 64 KB this server accepts." });
    expect(counter.pulled).toBeLessThanOrEqual(FORM_LIMIT + CHUNK);
  });

  it("still takes forms within the limit", async () => {
    const client = new WebClient(instance, instance.origin);
    const res = await client.signIn("alice", "a long enough password");
    expect(res.status).toBe(303);
  });

  it("keeps the weeknote form's own, larger limit for images", async () => {
    const client = new WebClient(instance, instance.origin);
    await client.signIn("alice", "a long enough password");
    await client.get("/compose");
    // Noise does not compress: the image is larger than the form limit.
    const noise = Buffer.from(Array.from({ length: 200 * 200 * 3 }, (_, i) => (i * 7919) % 251));
    const bytes = await sharp(noise, { raw: { width: 200, height: 200, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(bytes.byteLength).toBeGreaterThan(FORM_LIMIT);
    const form = new FormData();
    for (const [name, value] of Object.entries({
      community: "team",
      title: "A picture",
      summary: "One picture.",
      body: "See below.",
      action: "publish",
    })) {
      form.append(name, value);
    }
    form.append("image-1", new File([new Uint8Array(bytes)], "noise.png", { type: "image/png" }));
    form.append("image-1-alt", "Coloured noise");
    const res = await client.post("/compose", form);
    expect(res.status, client.lastHtml.slice(0, 1000)).toBe(303);
    // The weeknote's page, saying it is published (`?done=published`).
    const id = res.headers.get("location")!.replace("/posts/", "").replace("?done=published", "");
    expect((await instance.services.media.forPost(id)).map((m) => m.alt)).toEqual(["Coloured noise"]);
  });

  it("leaves inboxes to their own limit", async () => {
    const body = JSON.stringify({ type: "Note", content: "x".repeat(FORM_LIMIT * 2) });
    const res = await instance.app.request(`${instance.origin}/@alice/inbox`, {
      method: "POST",
      body,
      headers: { "content-type": "application/activity+json" },
    });
    // Refused as unsigned, not as too large: the form limit is not the inbox's.
    expect(res.status).not.toBe(413);
    expect(res.status).toBeGreaterThanOrEqual(400);
  });
});
