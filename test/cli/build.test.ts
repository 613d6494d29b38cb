import { spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/crash-harness.ts";
import { createTestDatabase } from "../helpers/database.ts";
import { freePort } from "../helpers/instance.ts";
// @ts-expect-error: plain JavaScript, without declarations
import { isStale } from "../../scripts/build.mjs";

const repo = join(import.meta.dirname, "..", "..");
const npmStart = (JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start;

/**
 * A copy of the project in a temporary directory (sharing node_modules), so
 * that building it and changing its files leaves the working tree alone.
 */
function copyProject(dir: string, entries: string[]): string {
  const root = join(dir, "connexo");
  mkdirSync(root);
  for (const entry of entries) cpSync(join(repo, entry), join(root, entry), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(root, "node_modules"));
  return root;
}

/** The command line of each process in a process group (Linux), as its arguments. */
function commandLinesInGroup(pgid: number): string[][] {
  const lines: string[][] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The group is the fifth field of stat, counted after the command's name in parentheses.
      if (Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ")[2]) !== pgid) continue;
      lines.push(readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean));
    } catch {
      // Gone meanwhile.
    }
  }
  return lines;
}

/** `npm start` there, to its end. */
function npmStartIn(root: string) {
  const result = spawnSync("npm", ["start", "--silent"], { cwd: root, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("the compiled server", () => {
  const dir = mkdtempSync(join(tmpdir(), "connexo-build-"));
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("npm run build compiles src/ and federation/ to dist/, and npm start runs it without building again", async () => {
    const root = copyProject(dir, ["src", "federation", "migrations", "scripts", "package.json", "tsconfig.json", "tsconfig.build.json"]);
    const built = spawnSync("npm", ["run", "build"], { cwd: root, encoding: "utf8", timeout: 150_000 });
    expect(built.status, `${built.stdout}${built.stderr}`).toBe(0);
    expect(existsSync(join(root, "dist", "src", "main.js"))).toBe(true);
    expect(existsSync(join(root, "dist", "federation", "federation.js"))).toBe(true);
    expect(isStale(root)).toBe(false);

    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const child = spawn("npm", ["start"], {
      cwd: root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        CONNEXO_DATABASE: await createTestDatabase(dir),
        CONNEXO_PORT: String(port),
        CONNEXO_ORIGIN: origin,
        CONNEXO_MEDIA_DIR: join(dir, "media"),
        CONNEXO_HEAP_MB: "150",
      },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    stops.push(async () => {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        return; // Already gone.
      }
      await exited;
    });

    await waitFor(
      async () => (await fetch(`${origin}/health`)).status === 200,
      60_000,
      () => output,
    );
    // Files the compiled code reads at run time are found from dist/ too: the migrations (it answered) and the static files.
    const style = await fetch(`${origin}/static/style.css`);
    expect(style.status).toBe(200);
    expect(await style.text()).toContain("{");
    expect(output).not.toContain("Building");
    expect(output).toContain("Connexo has no administrator yet");
    // The server's heap is capped as the operator set it.
    const servers = commandLinesInGroup(child.pid!).filter((args) => args.includes("scripts/start.mjs"));
    expect(servers).toHaveLength(1);
    expect(servers[0]).toContain("--max-old-space-size=150");
    expect(output).not.toContain("heap is limited");
    // What the start compiled is kept for the next start, as soon as it serves: it need not exit cleanly first.
    const cache = join(root, "dist", ".compile-cache");
    expect(existsSync(cache) && readdirSync(cache, { recursive: true }).length).toBeGreaterThan(100);
    await stops.pop()!();
  }, 180_000);

  it("npm start builds when dist/ is missing, and again when a source, a tsconfig file or package.json is newer than the last build", () => {
    // A project of two small files, started by the same launcher: each build takes a second, not a minute.
    const root = join(dir, "small");
    mkdirSync(join(root, "src"), { recursive: true });
    cpSync(join(repo, "scripts"), join(root, "scripts"), { recursive: true });
    symlinkSync(join(repo, "node_modules"), join(root, "node_modules"));
    writeFileSync(join(root, "package.json"), JSON.stringify({ type: "module", scripts: { start: npmStart } }));
    writeFileSync(
      join(root, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { module: "NodeNext", target: "ES2023", strict: true, types: [], noEmit: true, allowImportingTsExtensions: true },
      }),
    );
    writeFileSync(
      join(root, "tsconfig.build.json"),
      JSON.stringify({
        extends: "./tsconfig.json",
        compilerOptions: { noEmit: false, outDir: "dist", rootDir: ".", rewriteRelativeImportExtensions: true },
        include: ["src"],
      }),
    );
    writeFileSync(join(root, "src", "main.ts"), 'import { greeting } from "./greeting.ts";\nconsole.log(greeting);\n');
    writeFileSync(join(root, "src", "greeting.ts"), 'export const greeting: string = "first";\n');

    const first = npmStartIn(root);
    expect(first.status, first.output).toBe(0);
    expect(first.output).toContain("Building");
    expect(first.output).toContain("first");

    const second = npmStartIn(root);
    expect(second.status, second.output).toBe(0);
    expect(second.output).not.toContain("Building");
    expect(second.output).toContain("first");

    writeFileSync(join(root, "src", "greeting.ts"), 'export const greeting: string = "second";\n');
    const third = npmStartIn(root);
    expect(third.status, third.output).toBe(0);
    expect(third.output).toContain("Building");
    expect(third.output).toContain("second");
    expect(isStale(root)).toBe(false);

    // A build lock left by a process that died is taken over.
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    mkdirSync(join(root, "dist.lock"));
    writeFileSync(join(root, "dist.lock", "pid"), String(dead));
    writeFileSync(join(root, "src", "greeting.ts"), 'export const greeting: string = "third";\n');
    const fourth = npmStartIn(root);
    expect(fourth.status, fourth.output).toBe(0);
    expect(fourth.output).toContain("third");
    expect(existsSync(join(root, "dist.lock"))).toBe(false);

    // The other inputs, by their times alone.
    for (const file of ["tsconfig.json", "tsconfig.build.json", "package.json", "src/main.ts"]) {
      const path = join(root, file);
      const before = statSync(path);
      const muchLater = new Date(Date.now() + 60_000);
      utimesSync(path, muchLater, muchLater);
      expect(isStale(root), file).toBe(true);
      utimesSync(path, before.atime, before.mtime);
      expect(isStale(root), file).toBe(false);
    }
    writeFileSync(join(root, "src", "new.tsx"), "export {};\n");
    expect(isStale(root)).toBe(true);
    rmSync(join(root, "src", "new.tsx"));
    expect(isStale(root)).toBe(false);

    // A build that fails: npm start says so and stops, without running the old build.
    writeFileSync(join(root, "src", "greeting.ts"), "export const greeting: number = 'not a number';\n");
    const broken = npmStartIn(root);
    expect(broken.status).not.toBe(0);
    expect(broken.output).toContain("greeting.ts");
    expect(broken.output).not.toContain("second");

    rmSync(join(root, "dist"), { recursive: true });
    expect(isStale(root)).toBe(true);
  }, 120_000);
});
