import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import type { Config } from "../config/config.ts";
import { readConfig } from "./read-config.ts";
import { BackupError, createBackup, type Manifest, type Progress, restoreBackup } from "../storage/backup/index.ts";

/**
 * `backup` and `restore`: they work on the database and media folder as
 * files and dumps, below the services, so they run apart from the other
 * commands (restore must not open the database, which would create its schema).
 */
interface BackupCommand {
  usage: string;
  options: Record<string, { type: "string" | "boolean"; required?: boolean }>;
  run(values: Record<string, string | boolean | undefined>, config: Config, onProgress: Progress): Promise<string>;
}

const backupCommands: Record<string, BackupCommand> = {
  backup: {
    usage: "backup --to connexo-backup.tar.gz",
    options: { to: { type: "string", required: true } },
    async run(v, config, onProgress) {
      const result = await createBackup(config, String(v.to), onProgress);
      return (
        `Backed up the ${dialectLabel(result.manifest)} database and ${plural(result.mediaFiles, "media file")} to ${result.file}: ` +
        `${size(result.bytes)}, ${countsText(result.manifest)}, in ${seconds(result.milliseconds)}.`
      );
    },
  },
  restore: {
    usage: "restore --from connexo-backup.tar.gz [--force]",
    options: { from: { type: "string", required: true }, force: { type: "boolean" } },
    async run(v, config, onProgress) {
      const result = await restoreBackup(config, String(v.from), { force: v.force === true, onProgress });
      return (
        `Restored the backup of ${result.manifest.createdAt} (Connexo ${result.manifest.connexoVersion}): ` +
        `${countsText(result.manifest)}, ${plural(result.mediaFiles, "media file")}, in ${seconds(result.milliseconds)}. ` +
        "Start Connexo as usual; it brings the schema up to date."
      );
    },
  },
};

/** The usage lines of these commands, for the command line's list. */
export function backupUsage(): string {
  return Object.values(backupCommands)
    .map((c) => `\n  ${c.usage}`)
    .join("");
}

/**
 * Runs `backup` or `restore` if argv names one, returning the exit code
 * (0 done, 1 refused, 2 wrong usage or configuration); null for any other command.
 */
export async function runBackupCommand(argv: string[]): Promise<number | null> {
  const [name, ...rest] = argv;
  const command = name ? backupCommands[name] : undefined;
  if (!command) return null;
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: npm run connexo -- ${command.usage}`);
    return 2;
  }
  const missing = Object.entries(command.options).filter(([key, o]) => o.required && !values[key]);
  if (missing.length > 0) {
    console.error(`Missing ${missing.map(([key]) => `--${key}`).join(", ")}.\nUsage: npm run connexo -- ${command.usage}`);
    return 2;
  }
  const config = readConfig();
  if (!config) return 2;
  const bar = process.stdout.isTTY ? progressBar() : null;
  try {
    const summary = await command.run(values, config, bar?.update ?? (() => {}));
    bar?.stop();
    console.log(summary);
    return 0;
  } catch (error) {
    bar?.stop();
    if (error instanceof BackupError) {
      console.error(`Error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

const PHASES = { check: "Checking", database: "Database", media: "Media", archive: "Archive" };

/** One bar on the terminal, restarted for each phase. */
function progressBar(): { update: Progress; stop(): void } {
  const bar = new cliProgress.SingleBar(
    { format: "{phase} [{bar}] {percentage}% | {value}/{total}", hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let phase = "";
  return {
    update(event) {
      const name = PHASES[event.phase];
      if (name !== phase) {
        if (phase) bar.stop();
        phase = name;
        bar.start(Math.max(event.total, 1), event.done, { phase: name.padEnd(8) });
      } else {
        bar.setTotal(Math.max(event.total, 1));
        bar.update(event.done);
      }
    },
    stop() {
      if (phase) bar.stop();
    },
  };
}

const dialectLabel = (manifest: Manifest) => (manifest.dialect === "postgres" ? "PostgreSQL" : "SQLite");
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function countsText(manifest: Manifest): string {
  const c = manifest.counts;
  return [
    plural(c.actors ?? 0, "actor"),
    plural(c.posts ?? 0, "post"),
    plural(c.followers ?? 0, "follower"),
    plural(c.queue_messages ?? 0, "queued message"),
  ].join(", ");
}
