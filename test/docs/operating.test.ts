// The operator's guide names commands, settings, npm scripts and metrics; an
// operator copies them as they stand. Each is checked against the code that
// answers to it: the command line's own usage, the configuration's schema,
// package.json, and a running instance's /metrics and /health.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { type RunningInstance, startInstance } from "../helpers/instance.ts";

const guide = readFileSync("docs/operating.md", "utf8");
const configSource = readFileSync("src/config/config.ts", "utf8");
const scripts = Object.keys((JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts);

const unique = (values: Iterable<string>) => [...new Set(values)].sort();
const matches = (pattern: RegExp) => unique([...guide.matchAll(pattern)].map((m) => m[1]!));

/** The usage the command line prints when given no command. */
async function cliUsage(): Promise<string> {
  const { stdout, stderr } = await runCli({ CONNEXO_LOG_LEVEL: "error" });
  return stdout + stderr;
}

describe("the operator's guide", () => {
  let instance: RunningInstance;
  const token = "a-metrics-token-for-the-guide";

  beforeAll(async () => {
    instance = await startInstance({ CONNEXO_METRICS_TOKEN: token }, { serve: false, worker: false });
  });
  afterAll(() => instance?.close());

  it("names only commands the command line has", async () => {
    const named = matches(/npm run connexo -- ([a-z-]+)/g);
    expect(named.length).toBeGreaterThan(3);
    const usage = await cliUsage();
    const known = unique([...usage.matchAll(/^\s+([a-z][a-z-]*)\b/gm)].map((m) => m[1]!));
    expect(named.filter((command) => !known.includes(command))).toEqual([]);
  });

  it("names only settings the configuration reads", () => {
    const named = matches(/\b((?:CONNEXO|OTEL)_[A-Z_]+)\b/g);
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((name) => !configSource.includes(name))).toEqual([]);
  });

  it("names only npm scripts that exist", () => {
    const named = unique([...matches(/npm run ([a-z:]+)/g), ...matches(/npm (start|test)\b/g)]);
    expect(named).toContain("start");
    expect(named.filter((script) => !scripts.includes(script))).toEqual([]);
  });

  it("names only metrics that /metrics serves, and the health check answers as it says", async () => {
    const named = matches(/\b(connexo_[a-z_]+)\b/g);
    expect(named.length).toBeGreaterThan(3);
    const response = await instance.app.request(`${instance.origin}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const served = await response.text();
    expect(named.filter((metric) => !served.includes(`# TYPE ${metric} `))).toEqual([]);
    const health = await instance.app.request(`${instance.origin}/health`);
    expect(await health.json()).toEqual({ status: "ok" });
  });
});
