import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnServer, waitFor, type ServerProcess } from "../helpers/crash-harness.ts";
import { createTestDatabase } from "../helpers/database.ts";
import { freePort } from "../helpers/instance.ts";

const root = join(import.meta.dirname, "..", "..");

/** Processor time a process has used so far, in clock ticks (user + system), from /proc. */
function cpuTicks(pid: number): number {
  // The fields after the command name (which may hold spaces) start at the process state.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** The parent of a process, from /proc. */
function parentPid(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
}

const alive = (pid: number) => existsSync(`/proc/${pid}`);

/** GET on a connection of its own, so that the cluster hands each request to the next process. */
function getOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { accept: "text/html" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("npm start with CONNEXO_PROCESSES", () => {
  const dir = mkdtempSync(join(tmpdir(), "connexo-processes-"));
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves from every process, replaces one that crashes, and stops them all on SIGTERM", async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const server = spawnServer(
      {
        CONNEXO_DATABASE: await createTestDatabase(dir),
        CONNEXO_PORT: String(port),
        CONNEXO_ORIGIN: origin,
        CONNEXO_MEDIA_DIR: join(dir, "media"),
        CONNEXO_PROCESSES: "2",
        CONNEXO_LOG_LEVEL: "info",
        // Every request rendered, so that each costs its process measurable work.
        CONNEXO_PAGE_CACHE_SECONDS: "0",
      },
      root,
    );
    servers.push(server);
    const running = /Running 2 processes \(\\?"all\\?"\): \\?"?(\d+), (\d+)/;
    await waitFor(
      () => running.test(server.output()),
      90_000,
      () => server.output(),
    );
    const pids = running.exec(server.output())!.slice(1, 3).map(Number);
    const supervisor = parentPid(pids[0]!);
    expect(parentPid(pids[1]!)).toBe(supervisor);

    // The first process speaks for all: one setup link.
    expect(server.output().match(/\/setup\/[A-Za-z0-9_-]+/g)).toHaveLength(1);

    // Connections are shared out: both processes do the work of rendering pages.
    const before = pids.map(cpuTicks);
    for (let i = 0; i < 300; i++) expect(await getOnNewConnection(`${origin}/decisions`)).toBe(200);
    const used = pids.map((pid, i) => cpuTicks(pid) - before[i]!);
    const total = used[0]! + used[1]!;
    expect(total).toBeGreaterThan(10);
    for (const ticks of used) expect(ticks / total).toBeGreaterThan(0.25);

    // One that has run a while and crashes is replaced; the instance keeps answering.
    await new Promise((r) => setTimeout(r, 10_500));
    process.kill(pids[1]!, "SIGKILL");
    const replaced = new RegExp(`Process (\\d+) started in place of ${pids[1]}`);
    await waitFor(
      () => replaced.test(server.output()),
      30_000,
      () => server.output(),
    );
    const replacement = Number(replaced.exec(server.output())![1]);
    expect(parentPid(replacement)).toBe(supervisor);
    expect(server.output()).toContain(`Process ${pids[1]} stopped on SIGKILL; starting another in its place`);
    for (let i = 0; i < 4; i++) expect(await getOnNewConnection(`${origin}/health`)).toBe(200);

    // SIGTERM to the supervisor alone stops every process, each finishing its work first.
    process.kill(supervisor, "SIGTERM");
    await waitFor(
      () => ![supervisor, pids[0]!, replacement].some(alive),
      30_000,
      () => server.output(),
    );
    expect(server.output().match(/"Stopped"/g)).toHaveLength(2);
  }, 180_000);

  it("stops, with an error, when its processes cannot start", () => {
    // The database's folder cannot be made: the first process fails, and the supervisor starts no others.
    const blocked = join(dir, "a-file");
    writeFileSync(blocked, "");
    const result = spawnSync("npx", ["tsx", "src/main.ts"], {
      cwd: root,
      env: { ...process.env, CONNEXO_PROCESSES: "3", CONNEXO_DATABASE: join(blocked, "connexo.sqlite"), CONNEXO_PORT: "1" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    const output = result.stdout + result.stderr;
    expect(output).toContain("before it was ready; stopping the others");
    expect(output).not.toContain("Running 3 processes");
  }, 90_000);
});
