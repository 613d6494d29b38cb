import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.ts";
import { createInstance, type Instance } from "../../src/instance.ts";
import { startTracing, traceServices, type Tracing } from "../../src/observability/tracing.ts";
import { createTestDatabase } from "../helpers/database.ts";
import { seedCommunity } from "../helpers/instance.ts";

/** A collector on loopback: what arrives at POST /v1/traces. */
async function startReceiver(): Promise<{ server: Server; endpoint: string; bodies: Buffer[]; paths: string[] }> {
  const bodies: Buffer[] = [];
  const paths: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      paths.push(`${req.method} ${req.url}`);
      if (req.method === "POST" && req.url === "/v1/traces") bodies.push(Buffer.concat(chunks));
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: `http://127.0.0.1:${port}`, bodies, paths };
}

describe("traces", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let tracing: Tracing;
  let instance: Instance;
  let dir: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    dir = mkdtempSync(join(tmpdir(), "connexo-test-"));
    const config = loadConfig({
      CONNEXO_ORIGIN: "http://127.0.0.1:3999",
      CONNEXO_DATABASE: await createTestDatabase(dir),
      CONNEXO_LOG_LEVEL: "error",
      CONNEXO_PAGE_CACHE_SECONDS: "0",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    });
    expect(config.otlpEndpoint).toBe(receiver.endpoint);
    tracing = await startTracing({ endpoint: config.otlpEndpoint!, serviceName: "connexo-test", exportDelayMs: 50 });
    instance = await createInstance(config, { tracerProvider: tracing.provider });
    await seedCommunity(instance, { person: "alice", community: "team" });
  });
  afterAll(async () => {
    await tracing?.shutdown();
    await instance?.close();
    await new Promise<void>((resolve) => (receiver ? receiver.server.close(() => resolve()) : resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("sends Fedify's spans and the services' to the OTLP/HTTP endpoint", async () => {
    expect((await instance.app.request(`${instance.config.origin}/@team`)).status).toBe(200);
    const actor = await instance.app.request(`${instance.config.origin}/@team`, {
      headers: { accept: "application/activity+json", cookie: "connexo_session=session-secret", authorization: "Bearer token-secret" },
    });
    expect(actor.status).toBe(200);
    await instance.app.request(`${instance.config.origin}/setup/setup-secret`, { headers: { accept: "application/activity+json" } });
    await tracing.forceFlush();

    expect(receiver.paths.every((path) => path === "POST /v1/traces")).toBe(true);
    const sent = Buffer.concat(receiver.bodies).toString("latin1");
    expect(sent).toContain("connexo-test");
    // Fedify's own spans, by its route pattern, and ours around the services it called.
    expect(sent).toContain("@fedify/fedify");
    expect(sent).toContain("GET /@{identifier}");
    expect(sent).toContain("service.publications.servedActor");
    expect(sent).toContain("service.reading.actorPage");
    // Secrets Fedify would record are not sent.
    expect(sent).toContain("http.request.header.cookie");
    expect(sent).toContain("/setup/[redacted]");
    for (const secret of ["session-secret", "token-secret", "setup-secret", "connexo_csrf"]) expect(sent).not.toContain(secret);
  });

  it("leaves the services untouched without a tracer provider, and keeps their answers and errors when traced", async () => {
    const plain = { greeter: { hello: (name: string) => `hello ${name}` } };
    expect(traceServices(plain, null)).toBe(plain);

    class Counter {
      #count = 0;
      async next() {
        this.#count += 1;
        return this.#count;
      }
      fail() {
        throw new Error("refused");
      }
    }
    const traced = traceServices({ counter: new Counter() }, tracing.provider);
    expect(await traced.counter.next()).toBe(1);
    expect(await traced.counter.next()).toBe(2);
    expect(() => traced.counter.fail()).toThrow("refused");
    await tracing.forceFlush();
    const sent = Buffer.concat(receiver.bodies).toString("latin1");
    expect(sent).toContain("service.counter.next");
    expect(sent).toContain("service.counter.fail");
  });
});
