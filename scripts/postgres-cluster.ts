/**
 * A private, throwaway PostgreSQL cluster on loopback, for the test suite,
 * the benchmarks and local trials. It uses the server binaries of an
 * installed PostgreSQL (Debian: `apt-get install postgresql`) and keeps all
 * its files in a temporary folder that `stop()` removes.
 *
 * Run directly (`npm run postgres`) it starts one and prints its URL until
 * interrupted.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.ts";

export interface PostgresCluster {
  /** A superuser URL on the cluster's `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Trade durability for speed (fsync off): right for tests, wrong for benchmarks. */
  fast?: boolean;
}

/** The folder holding `initdb` and `pg_ctl`, or null if PostgreSQL's server is not installed. */
export function findPostgresBin(): string | null {
  const candidates = ["/usr/lib/postgresql"].flatMap((root) =>
    existsSync(root)
      ? readdirSync(root)
          .sort((a, b) => Number(b) - Number(a))
          .map((version) => join(root, version, "bin"))
      : [],
  );
  for (const dir of process.env.PATH?.split(":") ?? []) candidates.push(dir);
  return candidates.find((dir) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"))) ?? null;
}

export async function startPostgresCluster(options: ClusterOptions = {}): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL's server is not installed (Debian: apt-get install postgresql).");
  const dir = mkdtempSync(join(tmpdir(), "connexo-pg-"));
  const data = join(dir, "data");
  // PostgreSQL refuses to run as root: as root, run it as the `postgres` system user.
  const asUser = process.getuid?.() === 0 ? systemUser("postgres") : null;
  if (asUser) chownSync(dir, asUser.uid, asUser.gid);
  const run = (program: string, args: string[]) => {
    const command = asUser ? ["runuser", "-u", "postgres", "--", join(bin, program), ...args] : [join(bin, program), ...args];
    const result = spawnSync(command[0]!, command.slice(1), { cwd: dir, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${program} failed:\n${result.stdout}${result.stderr}`);
  };

  run("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c max_connections=400",
    ...(options.fast ? ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"] : []),
  ];
  run("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-w", "-o", settings.join(" "), "start"]);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function systemUser(name: string): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
  return { uid, gid };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cluster = await startPostgresCluster();
  console.log(`PostgreSQL is running at ${cluster.url}\nPress Ctrl-C to stop it and delete its files.`);
  const stop = () => cluster.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  setInterval(() => {}, 1 << 30);
}
