import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnServer, waitFor, type ServerProcess } from "../helpers/crash-harness.ts";
import { createTestDatabase } from "../helpers/database.ts";
import { freePort } from "../helpers/instance.ts";

/** What the operator sees on the very first `npm start`, and after. */
describe("first start", () => {
  const root = join(import.meta.dirname, "..", "..");
  const dir = mkdtempSync(join(tmpdir(), "connexo-start-"));
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints a setup link that survives a restart, and nothing once the instance is set up", async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const env = {
      CONNEXO_DATABASE: await createTestDatabase(dir),
      CONNEXO_PORT: String(port),
      CONNEXO_ORIGIN: origin,
      CONNEXO_MEDIA_DIR: join(dir, "media"),
    };
    const start = async () => {
      const server = spawnServer(env, root);
      servers.push(server);
      await waitFor(
        async () => (await fetch(`${origin}/health`)).ok,
        60_000,
        () => server.output(),
      );
      return server;
    };

    const first = await start();
    await waitFor(
      () => first.output().includes("/setup/"),
      10_000,
      () => first.output(),
    );
    const link = new RegExp(`${origin}/setup/[A-Za-z0-9_-]+`).exec(first.output())?.[0];
    expect(link, first.output()).toBeDefined();
    await first.stop();

    // A restart keeps the printed link working, and says how to get another.
    const second = await start();
    await waitFor(
      () => second.output().includes("no administrator"),
      10_000,
      () => second.output(),
    );
    expect(second.output()).not.toContain("/setup/");
    expect(second.output()).toContain("npm run connexo -- setup-link");
    const form = await fetch(link!, { headers: { accept: "text/html" } });
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain("Set up this instance");

    // Set up through the form, as a browser would.
    const cookie = form.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const token = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const done = await fetch(link!, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        _csrf: token,
        instanceName: "Northshire",
        displayName: "Amara",
        handle: "amara",
        password: "a long enough password",
      }),
    });
    expect(done.status).toBe(303);
    await second.stop();

    const third = await start();
    await new Promise((r) => setTimeout(r, 500));
    expect(third.output()).not.toContain("no administrator");
    expect((await fetch(link!, { headers: { accept: "text/html" } })).status).toBe(404);
    await third.stop();
  }, 180_000);
});

describe("npm start with a wrong variable", () => {
  it("exits with code 2 and names the variable", () => {
    const result = spawnSync("npx", ["tsx", "src/main.ts"], {
      cwd: join(import.meta.dirname, "..", ".."),
      env: { ...process.env, CONNEXO_PORT: "abc" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("CONNEXO_PORT");
    expect(result.stderr).toContain("expected a whole number");
  });
});
