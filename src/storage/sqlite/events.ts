import { dueAtOf, EVENTS_QUEUE, orderingKeyOf, type DomainEvent } from "../../domain/events.ts";
import type { Drizzle, QueueSignal } from "./database.ts";
import { queueMessages } from "./schema.ts";

type Tx = Parameters<Parameters<Drizzle["transaction"]>[0]>[0];

/**
 * Writes domain events into the durable queue, inside the caller's transaction,
 * and wakes this process's listener (which reads only after the commit, as it
 * runs on a later turn of the event loop).
 */
export function enqueueEvents(tx: Tx | Drizzle, signal: QueueSignal, events: DomainEvent[]): void {
  if (events.length === 0) return;
  const now = Date.now();
  tx.insert(queueMessages)
    .values(
      events.map((event) => ({
        queue: EVENTS_QUEUE,
        payload: JSON.stringify(event),
        orderingKey: orderingKeyOf(event),
        availableAt: dueAtOf(event, now),
      })),
    )
    .run();
  signal.emit("enqueued", EVENTS_QUEUE);
}
