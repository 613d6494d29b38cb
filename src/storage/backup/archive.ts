import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import * as tar from "tar";

/** Bumped when the archive's layout changes in a way an older `restore` could not read. */
export const ARCHIVE_FORMAT = 1;

export type Dialect = "sqlite" | "postgres";

/** The database's copy inside the archive, by dialect. */
export const DATABASE_ENTRY: Record<Dialect, string> = {
  sqlite: "database/connexo.sqlite",
  postgres: "database/connexo.pgdump",
};

/** Uploaded images sit under this folder of the archive, by their own names. */
export const MEDIA_FOLDER = "media";

/**
 * `manifest.json`, the archive's first entry: what made it, from which
 * database, how many rows its key tables held, and the SHA-256 of every other
 * entry (the archive holds nothing else).
 */
export interface Manifest {
  format: number;
  connexoVersion: string;
  dialect: Dialect;
  createdAt: string;
  /** Rows in key tables, as the copy holds them. */
  counts: Record<string, number>;
  files: Record<string, { bytes: number; sha256: string }>;
}

/** The archive cannot be restored: damaged, of another format, or from the other kind of database. */
export class BackupError extends Error {}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Every regular file below `dir`, as paths relative to it with forward slashes. */
export async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
}

/** Checksums every file staged in `dir`. */
export async function describeFiles(dir: string, paths: string[]): Promise<Manifest["files"]> {
  const files: Manifest["files"] = {};
  for (const path of paths) {
    const full = join(dir, path);
    files[path] = { bytes: (await stat(full)).size, sha256: await sha256Of(full) };
  }
  return files;
}

/** Writes the staged folder as one gzipped tar: the manifest first, then the database, then media. */
export async function packArchive(dir: string, file: string, onEntry: () => void): Promise<void> {
  const entries = ["manifest.json", ...(await filesBelow(dir)).filter((path) => path !== "manifest.json")];
  await tar.create({ file, cwd: dir, gzip: true, portable: true, noDirRecurse: true, onWriteEntry: () => onEntry() }, entries);
}

/**
 * Unpacks the archive into an empty folder and checks it against its
 * manifest: the format, every checksum, and nothing unlisted. Throws
 * BackupError if anything is amiss.
 */
export async function unpackArchive(file: string, dir: string): Promise<Manifest> {
  try {
    await tar.extract({
      file,
      cwd: dir,
      strict: true,
      // Only plain files and folders; tar already refuses absolute paths and `..`.
      filter: (_path, entry) => "type" in entry && (entry.type === "File" || entry.type === "Directory"),
    });
  } catch (error) {
    throw new BackupError(`The archive ${file} cannot be read (${(error as Error).message}); it is damaged or not a Connexo backup.`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as Manifest;
  } catch {
    throw new BackupError(`The archive ${file} has no readable manifest.json; it is not a Connexo backup.`);
  }
  if (manifest.format !== ARCHIVE_FORMAT) {
    throw new BackupError(`The archive is of format ${manifest.format}; this version of Connexo restores format ${ARCHIVE_FORMAT}.`);
  }
  if (manifest.dialect !== "sqlite" && manifest.dialect !== "postgres") throw new BackupError("The manifest names no known database.");
  if (!manifest.files || typeof manifest.files !== "object") throw new BackupError("The manifest lists no files.");
  const present = (await filesBelow(dir)).filter((path) => path !== "manifest.json");
  const listed = Object.keys(manifest.files).sort();
  const unlisted = present.filter((path) => !(path in manifest.files));
  const missing = listed.filter((path) => !present.includes(path));
  if (unlisted.length > 0 || missing.length > 0) {
    throw new BackupError(
      `The archive does not match its manifest (missing: ${missing.join(", ") || "none"}; unlisted: ${unlisted.join(", ") || "none"}).`,
    );
  }
  if (!listed.includes(DATABASE_ENTRY[manifest.dialect])) throw new BackupError("The archive holds no database.");
  for (const path of listed) {
    const expected = manifest.files[path]!;
    const full = join(dir, path);
    if ((await stat(full)).size !== expected.bytes || (await sha256Of(full)) !== expected.sha256) {
      throw new BackupError(`The archive is damaged: ${path} does not match its checksum.`);
    }
  }
  return manifest;
}
