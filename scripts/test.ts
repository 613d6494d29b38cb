/**
 * `npm test`: the whole suite (both vitest projects, "fast" and "process")
 * on SQLite, then again on PostgreSQL when its server is installed (in a
 * private throwaway cluster on loopback), or on the server named by
 * CONNEXO_TEST_POSTGRES (a superuser URL; each test creates its own database
 * there). Arguments go to vitest: `npm test -- --project process`, say.
 * `npm run test:fast` is the "fast" project alone, on SQLite.
 *
 * CONNEXO_TEST_DATABASES=sqlite or =postgres runs one round only.
 */
import { spawnSync } from "node:child_process";
import { findPostgresBin, startPostgresCluster, type PostgresCluster } from "./postgres-cluster.ts";

const args = process.argv.slice(2);
const only = process.env.CONNEXO_TEST_DATABASES;
const failures: string[] = [];

function vitest(label: string, env: Record<string, string | undefined>) {
  console.log(`\n=== Test suite on ${label} ===\n`);
  const result = spawnSync("vitest", ["run", ...args], { stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) failures.push(label);
}

// The process tests start the server as `npm start` does, compiled: build it once here, rather than
// in whichever of them starts first (each would wait for it, and the wait would count against its time).
const buildIfStale =
  "const b = await import('./scripts/build.mjs'); b.buildIfStale(b.projectRoot, () => console.log('Building dist/ for the process tests'));";
const built = spawnSync(process.execPath, ["--input-type=module", "-e", buildIfStale], { stdio: "inherit" });
if (built.status !== 0) process.exit(built.status ?? 1);

if (only !== "postgres") vitest("SQLite", { CONNEXO_TEST_POSTGRES: "" });

if (only !== "sqlite") {
  let cluster: PostgresCluster | null = null;
  let url = process.env.CONNEXO_TEST_POSTGRES;
  if (!url && findPostgresBin()) {
    cluster = await startPostgresCluster({ fast: true });
    url = cluster.url;
  }
  if (url) {
    try {
      vitest(`PostgreSQL (${new URL(url).host})`, { CONNEXO_TEST_POSTGRES: url });
    } finally {
      await cluster?.stop();
    }
  } else if (only === "postgres") {
    console.error("PostgreSQL is not installed: install it (Debian: apt-get install postgresql) or set CONNEXO_TEST_POSTGRES.");
    process.exit(1);
  } else {
    console.log("\nPostgreSQL is not installed, so the suite ran on SQLite only.");
    console.log("To run it on PostgreSQL too: apt-get install postgresql (or set CONNEXO_TEST_POSTGRES to a server URL).");
  }
}

if (failures.length > 0) {
  console.error(`\nFailed on: ${failures.join(", ")}`);
  process.exit(1);
}
