import { join } from "node:path";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { projectRoot } from "../../project-root.ts";
import { createQueueSignal, type QueueSignal } from "../queue-signal.ts";
import * as schema from "./schema.ts";
import { QUEUE_CHANNEL } from "./queue-channel.ts";

export type PgDrizzle = NodePgDatabase<typeof schema>;

/** An open PostgreSQL database: a connection pool, drizzle over it, and the queue wake-ups. */
export interface PostgresDatabase {
  kind: "postgres";
  pool: pg.Pool;
  db: PgDrizzle;
  /** Emits when any process enqueues (once `listenForQueues` has been called). */
  signal: QueueSignal;
  /** Starts hearing other processes' NOTIFYs on a dedicated connection; idempotent. */
  listenForQueues(): Promise<void>;
  close(): Promise<void>;
}

export interface PostgresOptions {
  /** Connections in the pool (beside the one that listens). */
  poolSize?: number;
}

const migrationsFolder = join(projectRoot, "migrations", "postgres");
// Any fixed number will do: every Connexo process takes the same one while migrating.
const MIGRATION_LOCK = 7_201_934_001;

/** Connects to PostgreSQL and brings its schema up to date, one process at a time. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<PostgresDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 20 });
  // An idle client's error (a server restart, say) must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  try {
    await migrateWithLock(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const db = drizzle(pool, { schema });
  const signal = createQueueSignal();
  const listener = new QueueListener(url, signal);
  return {
    kind: "postgres",
    pool,
    db,
    signal,
    listenForQueues: () => listener.start(),
    close: async () => {
      await listener.stop();
      await pool.end();
    },
  };
}

/** Several processes may start at once on a new database: the advisory lock makes them migrate in turn. */
async function migrateWithLock(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client, { schema }), { migrationsFolder });
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

/**
 * Holds one connection that LISTENs for queue wake-ups and turns them into
 * local signals. If the connection drops it reconnects; until then the
 * queues' polling keeps work moving.
 */
class QueueListener {
  #client: pg.Client | null = null;
  #starting: Promise<void> | null = null;
  #retry: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(
    private readonly url: string,
    private readonly signal: QueueSignal,
  ) {}

  start(): Promise<void> {
    this.#starting ??= this.#connect();
    return this.#starting;
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on("notification", (message) => {
      if (message.payload) this.signal.emit("enqueued", message.payload);
    });
    const lost = () => {
      if (this.#client !== client) return;
      this.#client = null;
      client.end().catch(() => {});
      this.#reconnectLater();
    };
    client.on("error", lost);
    client.on("end", lost);
    await client.connect();
    await client.query(`LISTEN ${QUEUE_CHANNEL}`);
    if (this.#stopped) await client.end();
    else this.#client = client;
  }

  #reconnectLater(): void {
    if (this.#stopped || this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.#connect().catch(() => this.#reconnectLater());
    }, 1000);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#retry) clearTimeout(this.#retry);
    await this.#starting?.catch(() => {});
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => {});
  }
}
