import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/instance.ts";
import { waitFor } from "../helpers/crash-harness.ts";

/** `npm run demo` brings up two federating instances a newcomer can click around. */
describe("the demo", () => {
  const root = join(import.meta.dirname, "..", "..");
  let child: ReturnType<typeof spawn> | null = null;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      // The whole group: npx, and the demo process under it.
      process.kill(-child.pid!, "SIGTERM");
      await exited;
    }
  });

  it("starts two instances with a weeknote and a decision that carry replies from the other one", async () => {
    const ports = [await freePort(), await freePort()];
    child = spawn("npx", ["tsx", "scripts/demo.ts"], { cwd: root, env: { ...process.env, DEMO_PORTS: ports.join(",") }, detached: true });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    await waitFor(
      () => output.includes("Press Ctrl-C"),
      90_000,
      () => output,
    );
    const weeknote = new RegExp(`http://127\\.0\\.0\\.1:${ports[0]}/posts/[0-9a-f-]+`).exec(output)?.[0];
    expect(weeknote, output).toBeDefined();
    const page = await (await fetch(weeknote!, { headers: { accept: "text/html" } })).text();
    expect(page).toContain("Week 48: the consultation opens");
    expect(page).toContain("Chen Wei");
    expect(page).toContain("bins dataset");
    // The first record printed was decided with Chen's reply from Riverside cited.
    const decided = new RegExp(`http://127\\.0\\.0\\.1:${ports[0]}/decisions/[0-9a-f-]+`).exec(output)?.[0];
    expect(decided, output).toBeDefined();
    const record = await (await fetch(decided!, { headers: { accept: "text/html" } })).text();
    expect(record).toContain("Show bin collection days from the shared open dataset");
    expect(record).toContain("Decided");
    expect(record).toContain("stable addresses per street");
    expect(record).toContain("Chen Wei");
    const riverside = await (await fetch(`http://127.0.0.1:${ports[1]}/@data`, { headers: { accept: "text/html" } })).text();
    expect(riverside).toContain("Data team");
  }, 120_000);
});
