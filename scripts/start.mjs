/**
 * `npm start`: runs the compiled server, dist/src/main.js, in this process
 * with plain node. When dist/ is missing or older than the sources (or the
 * tsconfig files, or package.json), it is built first, so that
 * `npm install && npm start` works on a fresh checkout and after an update.
 */
import cluster from "node:cluster";
import { enableCompileCache, flushCompileCache } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildIfStale, mainPath, projectRoot } from "./build.mjs";

// A process the supervisor started (CONNEXO_PROCESSES) runs what the supervisor built: building
// again, after the sources changed, would replace dist/ under its running siblings.
if (!cluster.isWorker) {
  try {
    buildIfStale(projectRoot, () => console.log("Building Connexo (dist/ is missing or older than the sources)…"));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
// V8 keeps what it compiled of each module beside the build and reuses it at the next start: a start
// otherwise spends a fifth of its time compiling the same files again. Where dist/ cannot be written,
// Node goes on without it.
enableCompileCache(join(projectRoot, "dist", ".compile-cache"));
// Only now, so that the build above runs without them.
await import("./module-hooks.mjs");
await import(pathToFileURL(mainPath(projectRoot)).href);
// Serving now: what start-up compiled is written down at once, not only when this process exits
// (which, killed, it might never do cleanly).
flushCompileCache();
