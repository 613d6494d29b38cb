import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServices } from "../../src/services/index.ts";
import { createStore, openDatabase } from "../../src/storage/database.ts";
import { createTestDatabase } from "./database.ts";
import { freePort } from "./instance.ts";

/**
 * An inbox sink on loopback: answers 202 to POST /inbox/<n> after a delay and
 * records, per inbox number, every activity it received (by type and id).
 */
export interface InboxSink {
  port: number;
  /** Inbox number → how many times an activity of this type and id arrived there. */
  received(type: string, id: string): Map<number, number>;
  /**
   * How many times an activity arrived at an inbox while the same activity was
   * still being delivered there: the same message handled twice at once.
   */
  overlaps(): number;
  /** Every "type id" seen so far, for diagnostics. */
  keys(): string[];
  close(): Promise<void>;
}

export async function startInboxSink(delayMs: number): Promise<InboxSink> {
  const seen = new Map<string, Map<number, number>>();
  const inFlight = new Map<string, number>();
  let overlaps = 0;
  const server: Server = createServer((req, res) => {
    const match = /^\/inbox\/(\d+)$/.exec(req.url ?? "");
    if (req.method !== "POST" || !match) {
      res.writeHead(404).end();
      return;
    }
    const n = Number(match[1]);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const activity = parseActivity(chunks);
      if (activity) {
        // Counted until the response is done or the connection drops (a killed sender).
        const key = `${n} ${activity.type} ${activity.id}`;
        if ((inFlight.get(key) ?? 0) > 0) overlaps++;
        inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
        res.once("close", () => inFlight.set(key, inFlight.get(key)! - 1));
      }
      setTimeout(() => {
        if (!activity) {
          res.writeHead(400).end();
          return;
        }
        const key = `${activity.type} ${activity.id}`;
        let byInbox = seen.get(key);
        if (!byInbox) {
          byInbox = new Map();
          seen.set(key, byInbox);
        }
        byInbox.set(n, (byInbox.get(n) ?? 0) + 1);
        res.writeHead(202).end();
      }, delayMs);
    });
  });
  // Many concurrent deliveries from the server under test; keep-alive sockets must not pin close().
  server.keepAliveTimeout = 1_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    received: (type, id) => seen.get(`${type} ${id}`) ?? new Map(),
    overlaps: () => overlaps,
    keys: () => [...seen.keys()],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parseActivity(chunks: Buffer[]): { type: string; id: string } | null {
  try {
    const activity = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { type?: unknown; id?: unknown };
    return typeof activity.type === "string" && typeof activity.id === "string" ? { type: activity.type, id: activity.id } : null;
  } catch {
    return null;
  }
}

/** `npx tsx src/main.ts` in its own process group, so that the whole tree can be killed at once. */
export interface ServerProcess {
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr, for diagnostics. */
  output(): string;
  /** How many lines of output so far matched `countLines` (given at spawn). */
  matchedLines(): number;
  exited: Promise<void>;
  /** SIGKILL to the whole process group; resolves once the group is gone. */
  kill(): Promise<void>;
  /** SIGTERM to the group, then SIGKILL if it has not exited after graceMs. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnServer(env: Record<string, string>, cwd: string, countLines?: RegExp): ServerProcess {
  const child = spawn("npx", ["tsx", "src/main.ts"], {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let matched = 0;
  let partial = "";
  const keep = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output += text;
    if (output.length > 200_000) output = output.slice(-100_000);
    if (!countLines) return;
    const lines = (partial + text).split("\n");
    partial = lines.pop()!;
    matched += lines.filter((line) => countLines.test(line)).length;
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  const pgid = child.pid!;

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pgid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  };
  const groupAlive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const groupGone = async (timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (groupAlive()) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  };

  return {
    child,
    output: () => output,
    matchedLines: () => matched,
    exited,
    async kill() {
      signalGroup("SIGKILL");
      if (!(await groupGone(10_000))) throw new Error(`process group ${pgid} survived SIGKILL`);
      await exited;
    },
    async stop(graceMs = 5_000) {
      if (!groupAlive()) return;
      signalGroup("SIGTERM");
      if (!(await groupGone(graceMs))) {
        signalGroup("SIGKILL");
        await groupGone(10_000);
      }
      await exited;
    },
  };
}

/** Polls check() until it is truthy; throws after the timeout with what() describing the state. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: () => string,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // Not ready yet.
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Seeds a database with the real services, then closes it (server processes
 * own it from then on): @alice, admin of @team, which `followers` remote
 * actors follow, each with its own inbox on the sink. Returns alice's API token.
 */
export async function seedFollowedCommunity(location: string, sink: InboxSink, followers: number): Promise<string> {
  const db = await openDatabase(location);
  try {
    const store = createStore(db);
    const services = createServices(store);
    await services.actors.createPerson({ handle: "alice", displayName: "Alice Example", password: "a long enough password" });
    await services.actors.createCommunity({ handle: "team", name: "The team", purpose: "Working in the open." });
    await services.actors.addMember("team", "alice", "admin");
    const token = await services.tokens.issue("alice");
    const team = (await services.actors.find("team"))!;
    const base = `http://127.0.0.1:${sink.port}`;
    for (let n = 0; n < followers; n++) {
      const remote = await store.remoteActors.upsert({
        uri: `${base}/users/${n}`,
        type: "Person",
        handle: `user${n}@127.0.0.1:${sink.port}`,
        name: `User ${n}`,
        url: null,
        iconUrl: null,
        inbox: `${base}/inbox/${n}`,
        sharedInbox: null,
      });
      await store.follows.addFollower(team.id, remote.id, `${base}/follows/${n}`);
    }
    if ((await store.follows.countFollowers(team.id)) !== followers) throw new Error("seeding the followers failed");
    return token;
  } finally {
    await db.close();
  }
}

/**
 * The stage for tests that run Connexo as real processes: a database seeded
 * by seedFollowedCommunity, an inbox sink, a port, and the environment the
 * processes share. `spawn` starts `src/main.ts` with extra settings; `close`
 * stops every process it started and removes everything.
 */
export interface FanoutStage {
  port: number;
  sink: InboxSink;
  env: Record<string, string>;
  spawn(extraEnv?: Record<string, string>, countLines?: RegExp): ServerProcess;
  /** Waits for /health to answer, failing early if the process exits. */
  waitHealthy(server: ServerProcess): Promise<void>;
  /** Publishes a weeknote in @team through the API as @alice; returns the id of the community's Announce. */
  publish(title: string): Promise<string>;
  close(): Promise<void>;
}

export async function startFanoutStage(options: {
  followers: number;
  sinkDelayMs: number;
  env: Record<string, string>;
}): Promise<FanoutStage> {
  const root = join(import.meta.dirname, "..", "..");
  const dir = mkdtempSync(join(tmpdir(), "connexo-stage-"));
  const database = await createTestDatabase(dir);
  const sink = await startInboxSink(options.sinkDelayMs);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const token = await seedFollowedCommunity(database, sink, options.followers);
  const env = {
    CONNEXO_DATABASE: database,
    CONNEXO_PORT: String(port),
    CONNEXO_ORIGIN: origin,
    CONNEXO_ALLOW_PRIVATE_ADDRESS: "true",
    CONNEXO_LOG_LEVEL: "warning",
    ...options.env,
  };
  const children: ServerProcess[] = [];
  return {
    port,
    sink,
    env,
    spawn(extraEnv = {}, countLines) {
      const child = spawnServer({ ...env, ...extraEnv }, root, countLines);
      children.push(child);
      return child;
    },
    waitHealthy: (server) =>
      waitFor(
        async () => {
          if (server.child.exitCode !== null || server.child.signalCode !== null) throw new Error(`exited early:\n${server.output()}`);
          return (await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2_000) })).ok;
        },
        60_000,
        () => `/health on port ${port}; output so far:\n${server.output()}`,
        100,
      ),
    async publish(title) {
      const response = await fetch(`${origin}/api/v1/weeknotes`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ community: "team", title, summary: "What happened this week.", body: "We worked **in the open**." }),
      });
      if (response.status !== 201) throw new Error(`publishing answered ${response.status}: ${await response.text()}`);
      const post = (await response.json()) as { id: string };
      return `${origin}/activities/announce-${post.id}`;
    },
    async close() {
      for (const child of children) await child.stop().catch(() => {});
      await sink.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
