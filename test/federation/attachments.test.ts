import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Mastodon shows a weeknote's images under its summary: they travel as the Article's attachments. */
describe("images in federation", () => {
  let instance: RunningInstance;
  let mediaDir: string;

  beforeAll(async () => {
    mediaDir = mkdtempSync(join(tmpdir(), "connexo-media-"));
    instance = await startInstance({ CONNEXO_MEDIA_DIR: mediaDir }, { serve: false, worker: false });
    await seedCommunity(instance, { person: "alice", community: "team" });
  });
  afterAll(async () => {
    await instance?.stop();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  const article = async (id: string) => {
    const res = await instance.app.request(`${instance.origin}/posts/${id}`, { headers: { accept: "application/activity+json" } });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, any>;
  };

  it("lists each image with its absolute URL, type, description and size, in order", async () => {
    const alice = (await instance.services.actors.find("alice"))!;
    const png = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: { r: 0, g: 90, b: 50 } } })
      .png()
      .toBuffer();
    const jpeg = await sharp({ create: { width: 300, height: 600, channels: 3, background: { r: 90, g: 0, b: 50 } } })
      .jpeg()
      .toBuffer();
    const chart = await instance.services.media.upload(alice, { bytes: png, alt: "A chart: responses doubled in week 48" });
    const photo = await instance.services.media.upload(alice, { bytes: jpeg, alt: "The panel at work" });
    const post = await instance.services.weeknotes.publish("team", alice, {
      title: "Week 48",
      summary: "Responses doubled.",
      body: "See the chart.",
      images: [chart.id, photo.id],
    });

    const json = await article(post.id);
    expect(json.type).toBe("Article");
    const attachments = asArray(json.attachment);
    expect(attachments).toEqual([
      {
        type: "Image",
        url: `${instance.origin}/media/${chart.fileName}`,
        mediaType: "image/png",
        name: "A chart: responses doubled in week 48",
        width: 1600,
        height: 800,
      },
      {
        type: "Image",
        url: `${instance.origin}/media/${photo.fileName}`,
        mediaType: "image/jpeg",
        name: "The panel at work",
        width: 300,
        height: 600,
      },
    ]);

    // What the attachment names is there to fetch, by anyone.
    const image = await instance.app.request(attachments[0].url);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
  });

  it("has no attachment when a weeknote has no images", async () => {
    const alice = (await instance.services.actors.find("alice"))!;
    const post = await instance.services.weeknotes.publish("team", alice, {
      title: "Words only",
      summary: "No pictures.",
      body: "Just text.",
    });
    expect((await article(post.id)).attachment).toBeUndefined();
  });
});
