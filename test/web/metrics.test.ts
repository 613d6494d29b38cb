import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/config.ts";
import { createMetrics } from "../../src/observability/metrics.ts";
import { queryRows } from "../helpers/database.ts";
import { AS_PUBLIC, createNote, deliver, FakeMastodon, type FakeUser } from "../helpers/fake-mastodon.ts";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

const TOKEN = "a-scraper-token-of-some-length";

/** The value of a sample in Prometheus' text format, or undefined if there is none with exactly these labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.keys(found).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => found[k] === v)) {
      return Number(match[3]);
    }
  }
  return undefined;
}

/** Every value of the `route` label in the text. */
const routesIn = (text: string) => new Set([...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]));

describe("/metrics", () => {
  let instance: RunningInstance;
  let mastodon: FakeMastodon;
  let mira: FakeUser;
  let postId: string;

  beforeAll(async () => {
    // No worker: what is enqueued stays in the queues for the figures to show.
    [instance, mastodon] = await Promise.all([
      startInstance({ CONNEXO_METRICS_TOKEN: TOKEN }, { worker: false }),
      FakeMastodon.start(["mira"]),
    ]);
    mira = mastodon.users.get("mira")!;
    const { person } = await seedCommunity(instance, { person: "alice", community: "team" });
    const post = await instance.services.weeknotes.publish("team", person, {
      title: "Week 49: the councils reply",
      summary: "Three councils answered.",
      body: "Three councils **answered**.",
    });
    postId = post.id;
  });
  afterAll(async () => {
    await Promise.all([instance?.stop(), mastodon?.close()]);
  });

  const scrape = (authorization?: string) =>
    instance.app.request(`${instance.origin}/metrics`, { headers: authorization ? { authorization } : {} });

  it("is off unless a token is configured", async () => {
    const plain = await startInstance({}, { serve: false, worker: false });
    try {
      expect(plain.metrics).toBeNull();
      expect((await plain.app.request(`${plain.origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    } finally {
      await plain.stop();
    }
  });

  it("takes a token long enough not to be guessed, and an OTLP endpoint that is an http(s) URL", () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ CONNEXO_METRICS_TOKEN: TOKEN }).metricsToken).toBe(TOKEN);
    expect(() => loadConfig({ CONNEXO_METRICS_TOKEN: "short" })).toThrow(ConfigError);
    expect(() => loadConfig({ CONNEXO_METRICS_TOKEN: "a token with spaces in it" })).toThrow(/CONNEXO_METRICS_TOKEN/);
    expect(loadConfig({}).otlpEndpoint).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }).otlpEndpoint).toBe("http://collector:4318");
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it("answers 401 without the token, or with another", async () => {
    for (const authorization of [
      undefined,
      "Bearer wrong-token-of-the-same-sort",
      `Basic ${TOKEN}`,
      `Bearer ${TOKEN}x`,
      `Bearer  ${TOKEN}`,
    ]) {
      const res = await scrape(authorization);
      expect(res.status, authorization).toBe(401);
      expect(await res.text()).not.toContain("connexo_");
    }
  });

  it("counts requests by route pattern and status, times them, and counts inbox activities", async () => {
    expect((await instance.app.request(`${instance.origin}/posts/${postId}`)).status).toBe(200);
    expect((await instance.app.request(`${instance.origin}/posts/${randomUUID()}`)).status).toBe(404);
    expect((await instance.app.request(`${instance.origin}/nothing/here`)).status).toBe(404);
    // A signed Create, and one with no signature at all.
    expect((await deliver(`${instance.origin}/inbox`, createNote(mira), mira)).status).toBe(202);
    expect((await deliver(`${instance.origin}/inbox`, createNote(mira), mira, { unsigned: true })).status).toBe(401);
    expect((await deliver(`${instance.origin}/inbox`, "{not json", mira)).status).toBe(400);

    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();

    expect(sample(text, "connexo_http_requests_total", { method: "GET", route: "/posts/:id", status: "200" })).toBe(1);
    expect(sample(text, "connexo_http_requests_total", { method: "GET", route: "/posts/:id", status: "404" })).toBe(1);
    expect(sample(text, "connexo_http_requests_total", { method: "GET", route: "unmatched", status: "404" })).toBe(1);
    expect(sample(text, "connexo_http_requests_total", { method: "POST", route: "/inbox", status: "202" })).toBe(1);
    expect(sample(text, "connexo_http_requests_total", { method: "GET", route: "/metrics", status: "401" })).toBe(5);
    expect(sample(text, "connexo_http_request_duration_seconds_count", { method: "GET", route: "/posts/:id" })).toBe(2);
    expect(sample(text, "connexo_http_request_duration_seconds_sum", { method: "GET", route: "/posts/:id" })).toBeGreaterThan(0);
    expect(text).toContain("# HELP connexo_http_requests_total ");
    // Patterns only: no address with an id in it.
    for (const route of routesIn(text)) expect(route).not.toMatch(/[0-9a-f]{8}-|nothing/);

    expect(sample(text, "connexo_inbox_activities_total", { type: "Create", outcome: "accepted" })).toBe(1);
    expect(sample(text, "connexo_inbox_activities_total", { type: "Create", outcome: "refused" })).toBe(1);
    expect(sample(text, "connexo_inbox_activities_total", { type: "unknown", outcome: "refused" })).toBe(1);

    // Process figures, under our prefix.
    expect(sample(text, "connexo_process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(text).toMatch(/^connexo_nodejs_eventloop_lag_seconds \d/m);
  });

  it("shows the queues' depth, the age of their oldest message and the dead letters, as they are when scraped", async () => {
    // The weeknote's event waits on the events queue, an accepted Announce on Fedify's (no worker runs;
    // a Create would have been handled while its sender waited).
    const boost = { "@context": "https://www.w3.org/ns/activitystreams", id: `${mira.id}/boosts/${randomUUID()}`, type: "Announce" };
    const announce = { ...boost, actor: mira.id, object: `${instance.origin}/posts/${postId}`, to: [AS_PUBLIC] };
    expect((await deliver(`${instance.origin}/inbox`, announce, mira)).status).toBe(202);
    await queryRows(instance.database, "INSERT INTO queue_messages (queue, payload, available_at) VALUES (?, ?, ?)", [
      "fedify:dead",
      "{}",
      0,
    ]);
    const [before] = await queryRows<{ n: number }>(instance.database, "SELECT count(*) AS n FROM queue_messages WHERE queue = 'events'");
    expect(before!.n).toBeGreaterThan(0);

    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(sample(text, "connexo_queue_messages", { queue: "events" })).toBe(before!.n);
    expect(sample(text, "connexo_queue_messages", { queue: "fedify" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "connexo_queue_messages", { queue: "fedify:dead" })).toBe(1);
    expect(sample(text, "connexo_queue_messages", { queue: "events:dead" })).toBe(0);
    expect(sample(text, "connexo_queue_ready_messages", { queue: "events" })).toBeGreaterThan(0);
    expect(sample(text, "connexo_queue_dead_letters", { queue: "fedify" })).toBe(1);
    expect(sample(text, "connexo_queue_dead_letters", { queue: "events" })).toBe(0);
    const age = sample(text, "connexo_queue_oldest_message_age_seconds", { queue: "events" })!;
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(600);
    expect(sample(text, "connexo_queue_oldest_message_age_seconds", { queue: "events:dead" })).toBe(0);

    // A scrape reads the table afresh.
    await queryRows(instance.database, "DELETE FROM queue_messages WHERE queue = ?", ["fedify:dead"]);
    const after = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(sample(after, "connexo_queue_dead_letters", { queue: "fedify" })).toBe(0);
  });

  it("shows the PostgreSQL pool's connections, only on PostgreSQL", async () => {
    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    if (instance.database.kind === "postgres") {
      expect(sample(text, "connexo_db_pool_connections", { state: "total" })).toBeGreaterThan(0);
      expect(sample(text, "connexo_db_pool_connections", { state: "idle" })).toBeGreaterThanOrEqual(0);
      expect(sample(text, "connexo_db_pool_waiting_requests")).toBe(0);
    } else {
      expect(text).not.toContain("connexo_db_pool");
    }
  });

  it("counts the queue messages a worker handled, by kind and outcome: a weeknote's delivery to a follower", async () => {
    const working = await startInstance({ CONNEXO_METRICS_TOKEN: TOKEN }, { serve: false });
    try {
      const { person, community } = await seedCommunity(working, { person: "ada", community: "bins" });
      const remote = await working.store.remoteActors.upsert({
        uri: mira.id,
        type: "Person",
        handle: `mira@${new URL(mastodon.origin).host}`,
        name: "Mira",
        url: null,
        iconUrl: null,
        inbox: mira.inbox,
        sharedInbox: `${mastodon.origin}/inbox`,
      });
      await working.store.follows.addFollower(community.id, remote.id, `${mira.id}#follows/bins`);
      const before = mastodon.inboxPosts.length;
      await working.services.weeknotes.publish("bins", person, { title: "Week 49", summary: "Bins.", body: "Bins." });
      await eventually(() => mastodon.inboxPosts.length > before, 15_000, "the delivery");
      const handled = (kind: string) =>
        sample(text, "connexo_queue_messages_handled_total", { queue: kind === "event" ? "events" : "fedify", kind, outcome: "done" });
      let text = "";
      await eventually(
        async () => {
          const response = await working.app.request(`${working.origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
          text = await response.text();
          return (handled("delivery") ?? 0) >= 1 && (handled("event") ?? 0) >= 1;
        },
        15_000,
        "the handled messages counted",
      );
      expect(sample(text, "connexo_queue_messages_handled_total", { queue: "fedify", kind: "delivery", outcome: "dead" })).toBeUndefined();
    } finally {
      await working.stop();
    }
  });

  it("counts a delivery that failed and was queued again as retried", async () => {
    const working = await startInstance({ CONNEXO_METRICS_TOKEN: TOKEN }, { serve: false });
    try {
      const { person, community } = await seedCommunity(working, { person: "ada", community: "bins" });
      // An inbox that is unavailable: the delivery is tried, refused, and queued again for later.
      const refused: string[] = [];
      mastodon.routes.set("/users/ruth/inbox", (req, res) => {
        refused.push(req.url!);
        res.writeHead(503);
        res.end();
      });
      const remote = await working.store.remoteActors.upsert(mastodon.accountInput("ruth"));
      await working.store.follows.addFollower(community.id, remote.id, `${remote.uri}#follows/bins`);
      await working.services.weeknotes.publish("bins", person, { title: "Week 50", summary: "Bins.", body: "Bins." });
      await eventually(() => refused.length > 0, 15_000, "the delivery refused");
      const delivery = (outcome: string) =>
        sample(text, "connexo_queue_messages_handled_total", { queue: "fedify", kind: "delivery", outcome });
      let text = "";
      await eventually(
        async () => {
          const response = await working.app.request(`${working.origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
          text = await response.text();
          return (delivery("retried") ?? 0) >= 1;
        },
        15_000,
        "the retried delivery counted",
      );
      expect(delivery("done")).toBeUndefined();
      const [queued] = await queryRows<{ n: number }>(working.database, "SELECT count(*) AS n FROM queue_messages WHERE queue = 'fedify'");
      expect(Number(queued!.n)).toBe(1);
    } finally {
      mastodon.routes.delete("/users/ruth/inbox");
      await working.stop();
    }
  });

  it("keeps each instance's figures apart", async () => {
    const quiet = () => Promise.resolve([]);
    const one = createMetrics({ queueStats: quiet, pool: null, now: () => 0 });
    const two = createMetrics({ queueStats: quiet, pool: null, now: () => 0 });
    one.observeRequest({ method: "GET", route: "/", status: 200, seconds: 0.01 });
    expect(sample((await one.exposition()).body, "connexo_http_requests_total", { method: "GET", route: "/", status: "200" })).toBe(1);
    expect(
      sample((await two.exposition()).body, "connexo_http_requests_total", { method: "GET", route: "/", status: "200" }),
    ).toBeUndefined();
  });
});
