import { sql } from "drizzle-orm";
import { dueAtOf, EVENTS_QUEUE, orderingKeyOf, type DomainEvent } from "../../domain/events.ts";
import { QUEUE_CHANNEL, type PgDrizzle } from "./database.ts";
import { queueMessages } from "./schema.ts";

type Tx = Parameters<Parameters<PgDrizzle["transaction"]>[0]>[0];

/**
 * Writes domain events into the durable queue inside the caller's
 * transaction. The NOTIFY is delivered when that transaction commits, and
 * wakes the workers of every process.
 */
export async function enqueueEvents(tx: Tx, events: DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  const now = Date.now();
  await tx.insert(queueMessages).values(
    events.map((event) => ({
      queue: EVENTS_QUEUE,
      payload: JSON.stringify(event),
      orderingKey: orderingKeyOf(event),
      availableAt: dueAtOf(event, now),
    })),
  );
  await tx.execute(sql`SELECT pg_notify(${QUEUE_CHANNEL}, ${EVENTS_QUEUE})`);
}
