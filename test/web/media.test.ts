import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

/** Uploads through the compose form (as a person would) and serves the result at /media/:file. */
describe("images", () => {
  let instance: RunningInstance;
  let mediaDir: string;
  let client: WebClient;

  /** Publishes a weeknote with these images through the form; returns the stored media in order. */
  const publishWith = async (...images: { bytes: Buffer; name: string; type: string; alt: string }[]) => {
    await client.get("/compose");
    const form = new FormData();
    for (const [name, value] of Object.entries({
      community: "team",
      title: "Pictures",
      summary: "Some pictures.",
      body: "See below.",
      action: "publish",
    })) {
      form.append(name, value);
    }
    images.forEach((image, i) => {
      form.append(`image-${i + 1}`, new File([new Uint8Array(image.bytes)], image.name, { type: image.type }));
      form.append(`image-${i + 1}-alt`, image.alt);
    });
    const res = await client.post("/compose", form);
    expect(res.status, client.lastHtml.slice(0, 2000)).toBe(303);
    // The weeknote's page, saying it is published (`?done=published`).
    const id = res.headers.get("location")!.replace("/posts/", "").replace("?done=published", "");
    return instance.services.media.forPost(id);
  };
  const served = async (fileName: string) => {
    const res = await instance.app.request(`${instance.origin}/media/${fileName}`);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    return { res, bytes, metadata: await sharp(bytes).metadata() };
  };

  beforeAll(async () => {
    mediaDir = mkdtempSync(join(tmpdir(), "connexo-media-"));
    instance = await startInstance({ CONNEXO_MEDIA_DIR: mediaDir }, { serve: false, worker: false });
    await seedCommunity(instance, { person: "alice", community: "team" });
    client = new WebClient(instance, instance.origin);
    await client.signIn("alice", "a long enough password");
  });
  afterAll(async () => {
    await instance?.stop();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  it("sizes a large image down to 1600 px and serves it with headers that keep it inert", async () => {
    const big = await sharp({ create: { width: 2400, height: 1200, channels: 3, background: { r: 200, g: 40, b: 40 } } })
      .png()
      .toBuffer();
    const [media] = await publishWith({ bytes: big, name: "wide.png", type: "image/png", alt: "A wide red rectangle" });
    expect(media).toMatchObject({ contentType: "image/png", width: 1600, height: 800, alt: "A wide red rectangle" });
    // Stored in the configured folder, under a name Connexo chose.
    expect(readdirSync(mediaDir)).toContain(media!.fileName);
    expect(media!.fileName).toMatch(/^[0-9a-f-]{36}\.png$/);

    const { res, metadata } = await served(media!.fileName);
    expect(metadata).toMatchObject({ format: "png", width: 1600, height: 800 });
    expect(Object.fromEntries(res.headers)).toMatchObject({
      "content-type": "image/png",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "cache-control": "public, max-age=31536000, immutable",
      "content-disposition": "inline",
      "cross-origin-resource-policy": "cross-origin",
    });
  });

  it("turns a photo upright and removes its EXIF data (camera, location)", async () => {
    // 400×200 as stored, with EXIF saying "rotate 90° clockwise to view", and a camera and GPS note.
    const photo = await sharp({ create: { width: 400, height: 200, channels: 3, background: { r: 30, g: 60, b: 200 } } })
      .jpeg()
      .withMetadata({ orientation: 6, exif: { IFD0: { Make: "SecretCam", Model: "Spy 3000", Copyright: "Alice at home" } } })
      .toBuffer();
    const before = await sharp(photo).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif).toBeDefined();

    const [media] = await publishWith({ bytes: photo, name: "IMG_0001.JPG", type: "image/jpeg", alt: "A blue photo" });
    expect(media).toMatchObject({ contentType: "image/jpeg", width: 200, height: 400 });
    const { res, bytes, metadata } = await served(media!.fileName);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(metadata).toMatchObject({ format: "jpeg", width: 200, height: 400 });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    expect(bytes.includes("SecretCam")).toBe(false);
  });

  it("answers 404 for an image that does not exist", async () => {
    const res = await instance.app.request(`${instance.origin}/media/00000000-0000-0000-0000-000000000000.png`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
  });

  it("answers 404 for a path that tries to leave the media folder", async () => {
    for (const path of [
      "/media/..%2F..%2Fetc%2Fpasswd",
      "/media/..%2Fconnexo.sqlite",
      "/media/%2Fetc%2Fpasswd",
      "/media/.%2E%2F.%2E%2Fetc%2Fpasswd",
    ]) {
      const res = await instance.app.request(`${instance.origin}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain("root:");
    }
  });

  it("sweeps away images no weeknote uses once they are a day old, and keeps the rest", async () => {
    const [kept] = await publishWith({
      bytes: await sharp({ create: { width: 40, height: 40, channels: 3, background: "#000" } })
        .png()
        .toBuffer(),
      name: "kept.png",
      type: "image/png",
      alt: "Kept",
    });
    const person = (await instance.services.actors.find("alice"))!;
    const abandoned = await instance.services.media.upload(person, {
      bytes: await sharp({ create: { width: 40, height: 40, channels: 3, background: "#fff" } })
        .png()
        .toBuffer(),
      alt: "Abandoned",
    });
    expect(readdirSync(mediaDir)).toContain(abandoned.fileName);
    // Too young to go.
    expect(await instance.services.media.sweepUnattached()).toBe(0);
    // A day later, the abandoned one goes (row and file); the one in a weeknote stays.
    const tomorrow = new Date(Date.now() + 25 * 3_600_000);
    expect(await instance.services.media.sweepUnattached(24 * 3_600_000, tomorrow)).toBe(1);
    expect(readdirSync(mediaDir)).not.toContain(abandoned.fileName);
    expect(readdirSync(mediaDir)).toContain(kept!.fileName);
    expect(await instance.store.media.find(abandoned.id)).toBeNull();
    expect((await instance.app.request(`${instance.origin}/media/${kept!.fileName}`)).status).toBe(200);
  });
});
