import { createServer as createHttpsServer } from "node:https";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { freePort } from "../../scripts/free-port.ts";
import { loadConfig, type Config } from "../../src/config/config.ts";
import type { ReplyPolicy } from "../../src/domain/reply-policy.ts";
import { createInstance, type Instance } from "../../src/instance.ts";
import { createTestDatabase } from "./database.ts";

export { eventually } from "./eventually.ts";
export { freePort };

export interface RunningInstance extends Instance {
  origin: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * A Connexo instance in this process, on a loopback port, with a database of
 * its own (see createTestDatabase), serving HTTP and running its queue
 * worker. `now` replaces the services' clock, for tests that move time on.
 */
export async function startInstance(
  env: Record<string, string> = {},
  options: { serve?: boolean; worker?: boolean; tls?: { key: string; cert: string; host: string }; now?: () => number } = {},
): Promise<RunningInstance> {
  const port = await freePort();
  const origin = options.tls ? `https://${options.tls.host}:${port}` : `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), "connexo-test-"));
  const config: Config = loadConfig({
    CONNEXO_PORT: String(port),
    CONNEXO_ORIGIN: origin,
    CONNEXO_DATABASE: await createTestDatabase(dir),
    CONNEXO_ALLOW_PRIVATE_ADDRESS: "true",
    CONNEXO_LOG_LEVEL: "error",
    // Tests read pages right after changing things; the page cache has its own test.
    CONNEXO_PAGE_CACHE_SECONDS: "0",
    ...env,
  });
  const instance = await createInstance(config, { now: options.now });
  const stopWorker = new AbortController();
  const worker = options.worker === false ? Promise.resolve() : instance.federation.runWorker(stopWorker.signal);
  const tls = options.tls ? { createServer: createHttpsServer, serverOptions: { key: options.tls.key, cert: options.tls.cert } } : {};
  const server = options.serve === false ? null : serve({ fetch: instance.app.fetch, port, hostname: "127.0.0.1", ...tls });
  return {
    ...instance,
    origin: config.origin,
    port,
    async stop() {
      stopWorker.abort();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await worker;
      await instance.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A person (with an API token) and a community they belong to. The community
 * takes replies from anyone unless another policy is asked for: most tests
 * are about something else, and reply policies have tests of their own.
 */
export async function seedCommunity(
  instance: Instance,
  names: { person: string; community: string; role?: string; replyPolicy?: ReplyPolicy },
) {
  const { actors, tokens } = instance.services;
  const person = await actors.createPerson({
    handle: names.person,
    displayName: `${names.person} Example`,
    password: "a long enough password",
  });
  const community = await actors.createCommunity({
    handle: names.community,
    name: `The ${names.community}`,
    purpose: "Working in the open.",
  });
  await actors.addMember(names.community, names.person, names.role ?? "admin");
  const replyPolicy = names.replyPolicy ?? "open";
  await instance.store.actors.setReplyPolicy(community.id, replyPolicy);
  const token = await tokens.issue(names.person);
  return { person, community: { ...community, replyPolicy }, token };
}
