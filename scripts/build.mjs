/**
 * `npm run build`: compiles src/ and federation/ to JavaScript in dist/
 * (tsconfig.build.json), then writes a stamp that `npm start` compares with
 * the sources' times to know whether dist/ is up to date. Plain JavaScript,
 * so that it runs with node alone.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Written after a successful build, with the time the build started. */
export const stampPath = (root) => join(root, "dist", ".build-stamp");
export const mainPath = (root) => join(root, "dist", "src", "main.js");

/** Every file the build reads: the TypeScript under src/ and federation/, the tsconfig files and package.json. */
export function buildInputs(root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name)) files.push(path);
    }
  };
  for (const dir of ["src", "federation"]) if (existsSync(join(root, dir))) walk(join(root, dir));
  for (const name of readdirSync(root)) if (/^tsconfig.*\.json$/.test(name) || name === "package.json") files.push(join(root, name));
  return files;
}

/** Whether dist/ must be built again: it is missing, or an input changed after the last build started. */
export function isStale(root = projectRoot) {
  if (!existsSync(stampPath(root)) || !existsSync(mainPath(root))) return true;
  const built = statSync(stampPath(root)).mtimeMs;
  return buildInputs(root).some((file) => statSync(file).mtimeMs > built);
}

/** Held while one process builds (it holds that process's id); taken over when that process is gone, or after ten minutes. */
const lockPath = (root) => join(root, "dist.lock");
const ABANDONED_LOCK_MS = 10 * 60_000;

function abandoned(lock) {
  try {
    if (Date.now() - statSync(lock).mtimeMs > ABANDONED_LOCK_MS) return true;
    const pid = Number(readFileSync(join(lock, "pid"), "utf8"));
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // No such process; or a lock with no id yet (just made), which is not abandoned.
    return error?.code === "ESRCH";
  }
}

/**
 * Runs `fn` while holding the build lock, so that processes started together
 * after an update (a web and a worker, say) build once, not over each other.
 */
export function withBuildLock(root, fn) {
  for (;;) {
    try {
      mkdirSync(lockPath(root));
      writeFileSync(join(lockPath(root), "pid"), String(process.pid));
      break;
    } catch (error) {
      if (error?.code !== "EEXIST") throw error;
      if (abandoned(lockPath(root))) rmSync(lockPath(root), { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lockPath(root), { recursive: true, force: true });
  }
}

/** Builds if dist/ is stale, under the lock (checking again once it holds it); says whether it built. */
export function buildIfStale(root = projectRoot, announce = () => {}) {
  if (!isStale(root)) return false;
  return withBuildLock(root, () => {
    if (!isStale(root)) return false; // Another process built it while this one waited.
    announce();
    build(root);
    return true;
  });
}

/** Compiles afresh into an empty dist/ with the project's own TypeScript; throws if the compiler reports errors. */
export function build(root = projectRoot) {
  const started = new Date();
  rmSync(join(root, "dist"), { recursive: true, force: true });
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`The TypeScript compiler failed (exit code ${result.status ?? result.signal}).`);
  // Stamped with the start time: a source saved during the build makes the next start build again.
  writeFileSync(stampPath(root), `${started.toISOString()}\n`);
  utimesSync(stampPath(root), started, started);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    withBuildLock(projectRoot, () => build());
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
