import type { Clock } from "../domain/clock.ts";
import { randomUUID } from "node:crypto";
import type { ResizeOptions } from "sharp";
import { invalid } from "../domain/errors.ts";
import type { Actor, Media } from "../domain/types.ts";
import type { MediaFiles } from "../storage/media-files.ts";
import type { Store } from "../storage/repositories.ts";
import { isUsableImage } from "./weeknotes.ts";

/** sharp (libvips) is large: loaded on the first image, not at start (and tried again after a failure). */
let sharpModule: Promise<typeof import("sharp")> | null = null;
async function loadSharp() {
  sharpModule ??= import("sharp").catch((error: unknown) => {
    sharpModule = null;
    throw error;
  });
  return (await sharpModule).default;
}

/** Uploaded images are sized down to fit this box, which is plenty for a weeknote page. */
export const MAX_IMAGE_SIDE = 1600;
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_ALT_LENGTH = 1500;
/** Avatars and icons are squares this many pixels a side. */
export const AVATAR_SIDE = 400;

/** What we accept, and what each becomes: stills stay in their format; a GIF becomes a PNG of its first frame. */
const OUTPUT = {
  jpeg: { format: "jpeg", contentType: "image/jpeg", ext: "jpg" },
  png: { format: "png", contentType: "image/png", ext: "png" },
  webp: { format: "webp", contentType: "image/webp", ext: "webp" },
  gif: { format: "png", contentType: "image/png", ext: "png" },
} as const;

export interface Upload {
  bytes: Uint8Array;
  /** Describes the image for people who cannot see it. Required. */
  alt: string;
}

/** Images for weeknotes: checked by their content, not their name, re-encoded without metadata, sized down. */
export class MediaService {
  constructor(
    private readonly store: Store,
    private readonly files: MediaFiles,
    private readonly now: Clock,
  ) {}

  async upload(owner: Actor, upload: Upload): Promise<Media> {
    const alt = (upload.alt ?? "").trim();
    if (!alt) throw invalid("Describe the image for people who cannot see it.", { alt: "required: describe the image" });
    if (alt.length > MAX_ALT_LENGTH)
      throw invalid(`Alt text may be at most ${MAX_ALT_LENGTH} characters.`, { alt: `at most ${MAX_ALT_LENGTH} characters` });
    return this.#store(owner, upload.bytes, alt, "image", {
      width: MAX_IMAGE_SIDE,
      height: MAX_IMAGE_SIDE,
      fit: "inside",
      withoutEnlargement: true,
    });
  }

  /**
   * An avatar or a community's icon: checked like any image, cropped to a
   * square and sized down (Mastodon shows them at 400 × 400 at most). It
   * belongs to no post; the sweep keeps it while a profile shows it. Its
   * description is the profile's, so the image itself has none.
   */
  uploadAvatar(owner: Actor, bytes: Uint8Array): Promise<Media> {
    return this.#store(owner, bytes, "", "avatar", { width: AVATAR_SIDE, height: AVATAR_SIDE, fit: "cover" });
  }

  /**
   * Checks an image by its content (problems named under `field`),
   * re-encodes it to the size asked, writes the file and records it.
   */
  async #store(owner: Actor, bytes: Uint8Array, alt: string, field: string, size: ResizeOptions): Promise<Media> {
    if (bytes.byteLength === 0) throw invalid("Choose an image file.", { [field]: "required" });
    if (bytes.byteLength > MAX_UPLOAD_BYTES) throw invalid("Images may be at most 10 MB.", { [field]: "at most 10 MB" });
    const output = await this.#outputFor(bytes, field);
    const sharp = await loadSharp();
    // rotate() applies the camera's orientation; re-encoding drops EXIF (and any location in it).
    const { data, info } = await sharp(bytes, { limitInputPixels: 50_000_000 })
      .rotate()
      .resize(size)
      .toFormat(output.format, output.format === "jpeg" ? { quality: 82, mozjpeg: true } : {})
      .toBuffer({ resolveWithObject: true });
    const id = randomUUID();
    const fileName = `${id}.${output.ext}`;
    await this.files.write(fileName, data);
    return this.store.media.create({
      id,
      ownerId: owner.id,
      fileName,
      contentType: output.contentType,
      width: info.width,
      height: info.height,
      bytes: info.size,
      alt,
    });
  }

  async #outputFor(bytes: Uint8Array, field: string) {
    const sharp = await loadSharp();
    let format: string | undefined;
    try {
      format = (await sharp(bytes).metadata()).format;
    } catch {
      format = undefined;
    }
    const output = format ? OUTPUT[format as keyof typeof OUTPUT] : undefined;
    if (!output) throw invalid("Images must be JPEG, PNG, WebP or GIF files.", { [field]: "JPEG, PNG, WebP or GIF" });
    return output;
  }

  /** The bytes and type of a stored image, for serving. */
  async file(fileName: string): Promise<{ media: Media; bytes: Uint8Array } | null> {
    const media = await this.store.media.findByFileName(fileName);
    if (!media) return null;
    const bytes = await this.files.read(fileName);
    return bytes ? { media, bytes } : null;
  }

  forPost(postId: string) {
    return this.store.media.forPost(postId);
  }

  /**
   * The images named (by a form) that this person may show and keep in this
   * post (null for a new one): their own new uploads and the post's own
   * images (isUsableImage). Anything else named is left out.
   */
  async usable(ids: string[], person: Actor, postId: string | null): Promise<Media[]> {
    if (ids.length === 0) return [];
    const found = new Map((await this.store.media.findByIds([...new Set(ids)])).map((m) => [m.id, m]));
    // In the order the form named them.
    return [...new Set(ids)].flatMap((id) => {
      const media = found.get(id);
      return media && isUsableImage(media, person, postId) ? [media] : [];
    });
  }

  /**
   * Removes images that no weeknote uses: uploaded for a preview and then
   * abandoned, or taken off a weeknote. Those younger than `graceMs` stay,
   * as someone may still be writing. Returns how many went.
   */
  async sweepUnattached(graceMs = 24 * 3_600_000, now = new Date(this.now())): Promise<number> {
    const gone = await this.store.media.deleteUnattached(new Date(now.getTime() - graceMs));
    for (const item of gone) await this.files.delete(item.fileName);
    return gone.length;
  }
}
