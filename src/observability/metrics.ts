import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "../storage/database.ts";
import { createQueueTable, type QueueStats } from "../storage/queue-table.ts";

/** The queues every instance has, reported even while empty. */
export const KNOWN_QUEUES = ["fedify", "events"] as const;
const DEAD_SUFFIX = ":dead";

/** What became of an activity posted to an inbox. */
export type InboxOutcome = "accepted" | "refused" | "limited" | "failed";

/** The outcome an inbox answer's status stands for: taken in, refused (4xx), held back by the limits a minute (429), or failed on our side. */
export function inboxOutcome(status: number): InboxOutcome {
  if (status >= 500) return "failed";
  if (status === 429) return "limited";
  return status >= 400 ? "refused" : "accepted";
}

/** Where the scrape-time figures come from. */
export interface MetricsSources {
  /** Every queue's messages, in one read. */
  queueStats(now: number): Promise<QueueStats[]>;
  /** The PostgreSQL connection pool, if there is one. */
  pool: { totalCount: number; idleCount: number; waitingCount: number } | null;
  now: () => number;
}

/**
 * One instance's metrics, in a registry of its own (several instances in one
 * process never share figures). Counters are fed as requests come; queue and
 * pool figures are read when Prometheus scrapes.
 */
export interface Metrics {
  readonly registry: Registry;
  /** Counts one HTTP request by the route pattern that answered it, and times it. */
  observeRequest(request: { method: string; route: string; status: number; seconds: number }): void;
  /** Counts one activity posted to an inbox, by its type and what became of it. */
  countInboxActivity(type: string, outcome: InboxOutcome): void;
  /** Counts one queue message handled (a delivery, a received activity, an event…), by what became of it. */
  countQueueMessage(queue: string, kind: string, outcome: "done" | "retried" | "dead"): void;
  /** The text Prometheus reads, and its content type. */
  exposition(): Promise<{ body: string; contentType: string }>;
}

/** The metrics of an instance on this database. */
export function createDatabaseMetrics(database: Database, now: () => number): Metrics {
  const table = createQueueTable(database);
  return createMetrics({
    queueStats: (at) => table.queueStats(at),
    pool: database.kind === "postgres" ? database.pool : null,
    now,
  });
}

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  // Memory, CPU, handles and event-loop lag, under our prefix.
  collectDefaultMetrics({ register: registry, prefix: "connexo_" });

  const requests = new Counter({
    name: "connexo_http_requests_total",
    help: "HTTP requests answered, by method, route pattern (never the raw path; unmatched for none) and status.",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "connexo_http_request_duration_seconds",
    help: "How long HTTP requests took to answer, by method and route pattern.",
    labelNames: ["method", "route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const inbox = new Counter({
    name: "connexo_inbox_activities_total",
    help: "Activities posted to inboxes, by activity type and outcome (accepted, refused with 4xx, limited with 429, failed with 5xx).",
    labelNames: ["type", "outcome"] as const,
    registers: [registry],
  });
  const handled = new Counter({
    name: "connexo_queue_messages_handled_total",
    help: "Queue messages handled by this process, by queue, kind (delivery, received, fanout, event) and outcome (done, retried later, dead).",
    labelNames: ["queue", "kind", "outcome"] as const,
    registers: [registry],
  });
  const queued = new Gauge({
    name: "connexo_queue_messages",
    help: "Messages waiting in a queue (dead-letter queues end in :dead), due or held for later.",
    labelNames: ["queue"] as const,
    registers: [registry],
  });
  const ready = new Gauge({
    name: "connexo_queue_ready_messages",
    help: "Messages in a queue that are due now.",
    labelNames: ["queue"] as const,
    registers: [registry],
  });
  const oldest = new Gauge({
    name: "connexo_queue_oldest_message_age_seconds",
    help: "Age of the oldest message in a queue (0 when it is empty).",
    labelNames: ["queue"] as const,
    registers: [registry],
  });
  const dead = new Gauge({
    name: "connexo_queue_dead_letters",
    help: "Messages set aside as dead after failing every attempt, by the queue they came from.",
    labelNames: ["queue"] as const,
    registers: [registry],
  });
  const { pool } = sources;
  if (pool) {
    new Gauge({
      name: "connexo_db_pool_connections",
      help: "PostgreSQL pool connections of this process, by state (total, idle).",
      labelNames: ["state"] as const,
      registers: [registry],
      collect() {
        this.set({ state: "total" }, pool.totalCount);
        this.set({ state: "idle" }, pool.idleCount);
      },
    });
    new Gauge({
      name: "connexo_db_pool_waiting_requests",
      help: "Queries of this process waiting for a PostgreSQL pool connection.",
      registers: [registry],
      collect() {
        this.set(pool.waitingCount);
      },
    });
  }

  /** The queue figures, read once a scrape (not once a gauge). */
  async function readQueues() {
    const now = sources.now();
    const stats = await sources.queueStats(now);
    const names = new Set<string>([...KNOWN_QUEUES, ...KNOWN_QUEUES.map((q) => q + DEAD_SUFFIX)]);
    for (const row of stats) names.add(row.queue);
    const byName = new Map(stats.map((row) => [row.queue, row]));
    for (const gauge of [queued, ready, oldest, dead]) gauge.reset();
    for (const name of names) {
      const row = byName.get(name);
      queued.set({ queue: name }, row?.queued ?? 0);
      ready.set({ queue: name }, row?.ready ?? 0);
      const age = row?.oldestCreatedAt == null ? 0 : Math.max(0, now - row.oldestCreatedAt) / 1000;
      oldest.set({ queue: name }, age);
      if (name.endsWith(DEAD_SUFFIX)) dead.set({ queue: name.slice(0, -DEAD_SUFFIX.length) }, row?.queued ?? 0);
    }
  }

  return {
    registry,
    observeRequest({ method, route, status, seconds }) {
      requests.inc({ method, route, status: String(status) });
      duration.observe({ method, route }, seconds);
    },
    countInboxActivity(type, outcome) {
      inbox.inc({ type, outcome });
    },
    countQueueMessage(queue, kind, outcome) {
      handled.inc({ queue, kind, outcome });
    },
    async exposition() {
      await readQueues();
      return { body: await registry.metrics(), contentType: registry.contentType };
    },
  };
}
