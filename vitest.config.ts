import { defineConfig } from "vitest/config";

/**
 * Tests that run real processes (the CLI, `npm start`, crash and scale-out
 * workers, the demo) or a browser: slow to start, so kept out of the
 * edit-test loop.
 */
const processTests = [
  "test/browser/**/*.test.ts",
  "test/cli/**/*.test.ts",
  "test/docs/**/*.test.ts",
  "test/federation/crash-recovery.test.ts",
  "test/federation/graceful-stop.test.ts",
  "test/federation/scale-out.test.ts",
];

/**
 * Two projects: "fast", the tests that run in this process (`npm run
 * test:fast` runs them on SQLite), and "process", the rest. `npm test` runs
 * both, on SQLite and then on PostgreSQL.
 */
export default defineConfig({
  test: {
    // A test that asserts nothing fails.
    expect: { requireAssertions: true },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "fast",
          include: ["test/**/*.test.ts"],
          exclude: processTests,
          // Files share a worker's loaded modules: loading the app and its libraries takes seconds, running most files far less.
          // Each test starts what it needs (an instance, a database) and stops it, so nothing else carries over.
          isolate: false,
        },
      },
      { extends: true, test: { name: "process", include: processTests } },
    ],
  },
});
