import { copyFile, link, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isPostgresUrl } from "../database.ts";
import {
  ARCHIVE_FORMAT,
  BackupError,
  DATABASE_ENTRY,
  type Dialect,
  describeFiles,
  filesBelow,
  MEDIA_FOLDER,
  type Manifest,
  packArchive,
  unpackArchive,
} from "./archive.ts";
import { backupPostgres, checkPostgresDump, postgresCounts, postgresHoldsData, restorePostgres } from "./postgres.ts";
import type { Progress } from "./progress.ts";
import { backupSqlite, checkSqliteCopy, restoreSqlite, sqliteHoldsData } from "./sqlite.ts";

export { BackupError, type Manifest } from "./archive.ts";
export { MissingClientError } from "./postgres.ts";
export type { Progress, ProgressEvent } from "./progress.ts";

/** The database (a SQLite path or a `postgres://` URL) and the uploaded media folder. */
export interface InstanceData {
  database: string;
  mediaDir: string;
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: Manifest;
  mediaFiles: number;
  milliseconds: number;
}

export interface RestoreResult {
  manifest: Manifest;
  mediaFiles: number;
  milliseconds: number;
}

const dialectOf = (database: string): Dialect => (isPostgresUrl(database) ? "postgres" : "sqlite");

/**
 * Writes one archive (a gzipped tar: manifest.json, the database's copy,
 * the media folder) while the instance runs. The archive appears at `to`
 * only once complete.
 */
export async function createBackup(data: InstanceData, to: string, onProgress: Progress = () => {}): Promise<BackupResult> {
  const started = Date.now();
  const file = resolve(to);
  const dialect = dialectOf(data.database);
  await mkdir(dirname(file), { recursive: true });
  const staging = await mkdtemp(join(dirname(file), ".connexo-backup-"));
  try {
    const databaseEntry = DATABASE_ENTRY[dialect];
    await mkdir(join(staging, dirname(databaseEntry)), { recursive: true });
    const counts =
      dialect === "postgres"
        ? await backupPostgres(data.database, join(staging, databaseEntry), onProgress)
        : await backupSqlite(data.database, join(staging, databaseEntry), onProgress);

    // Images are written aside and renamed into place, never changed: a hard link is a stable copy.
    const media = (await filesBelow(data.mediaDir)).filter((name) => !name.endsWith(".part"));
    for (const [i, name] of media.entries()) {
      const from = join(data.mediaDir, name);
      const into = join(staging, MEDIA_FOLDER, name);
      await mkdir(dirname(into), { recursive: true });
      try {
        await link(from, into).catch(() => copyFile(from, into));
      } catch (error) {
        // Deleted since the folder was listed: its post is gone from the copy too, or will be by the next backup.
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
      onProgress({ phase: "media", done: i + 1, total: media.length });
    }

    const paths = (await filesBelow(staging)).filter((path) => path !== "manifest.json");
    const manifest: Manifest = {
      format: ARCHIVE_FORMAT,
      connexoVersion: await connexoVersion(),
      dialect,
      createdAt: new Date(started).toISOString(),
      counts,
      files: await describeFiles(staging, paths),
    };
    await writeFile(join(staging, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    const partial = `${file}.part`;
    let written = 0;
    await packArchive(staging, partial, () => onProgress({ phase: "archive", done: ++written, total: paths.length + 1 }));
    await rename(partial, file);
    return {
      file,
      bytes: (await stat(file)).size,
      manifest,
      mediaFiles: paths.filter((path) => path.startsWith(`${MEDIA_FOLDER}/`)).length,
      milliseconds: Date.now() - started,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Restores an archive into the configured database and media folder.
 * Everything is checked before anything is written: the archive against its
 * manifest and checksums, its dialect against the configured database's,
 * and that the database and media folder hold nothing (unless `force`).
 * Connexo must not be running on the database meanwhile; the next start
 * brings an older backup's schema up to date.
 */
export async function restoreBackup(
  data: InstanceData,
  from: string,
  options: { force?: boolean; onProgress?: Progress } = {},
): Promise<RestoreResult> {
  const started = Date.now();
  const onProgress = options.onProgress ?? (() => {});
  const dialect = dialectOf(data.database);
  const archive = resolve(from);
  if (!(await stat(archive).catch(() => null))?.isFile()) throw new BackupError(`There is no archive at ${archive}.`);
  const staging = await mkdtemp(join(tmpdir(), "connexo-restore-"));
  try {
    onProgress({ phase: "check", done: 0, total: 1 });
    const manifest = await unpackArchive(archive, staging);
    if (manifest.dialect !== dialect) {
      throw new BackupError(
        `The archive holds a ${label(manifest.dialect)} database; this instance is configured for ${label(dialect)} (CONNEXO_DATABASE).`,
      );
    }
    const dump = join(staging, DATABASE_ENTRY[dialect]);
    if (dialect === "sqlite") checkSqliteCopy(dump, manifest.counts);
    else await checkPostgresDump(dump);
    onProgress({ phase: "check", done: 1, total: 1 });

    if (!options.force) {
      const holdsData = dialect === "postgres" ? await postgresHoldsData(data.database) : sqliteHoldsData(data.database);
      if (holdsData) throw new BackupError("The database already holds data; restore with --force to replace it.");
      if ((await filesBelow(data.mediaDir)).length > 0) {
        throw new BackupError(`The media folder ${data.mediaDir} is not empty; restore with --force to add the archive's files to it.`);
      }
    }

    onProgress({ phase: "database", done: 0, total: 1 });
    if (dialect === "sqlite") await restoreSqlite(dump, data.database);
    else {
      await restorePostgres(dump, data.database);
      const found = await postgresCounts(data.database);
      const differing = Object.entries(manifest.counts).filter(([table, n]) => found[table] !== n);
      if (differing.length > 0) {
        throw new Error(
          `The restored database differs from the manifest: ${differing.map(([t, n]) => `${t} ${found[t]} (not ${n})`).join(", ")}.`,
        );
      }
    }
    onProgress({ phase: "database", done: 1, total: 1 });

    const media = Object.keys(manifest.files).filter((path) => path.startsWith(`${MEDIA_FOLDER}/`));
    for (const [i, path] of media.entries()) {
      const into = join(data.mediaDir, path.slice(MEDIA_FOLDER.length + 1));
      await mkdir(dirname(into), { recursive: true });
      await copyFile(join(staging, path), `${into}.part`);
      await rename(`${into}.part`, into);
      onProgress({ phase: "media", done: i + 1, total: media.length });
    }
    return { manifest, mediaFiles: media.length, milliseconds: Date.now() - started };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

const label = (dialect: Dialect) => (dialect === "postgres" ? "PostgreSQL" : "SQLite");

async function connexoVersion(): Promise<string> {
  const path = resolve(dirname(fileURLToPath(import.meta.url)), "../../../package.json");
  try {
    return (JSON.parse(await readFile(path, "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}
