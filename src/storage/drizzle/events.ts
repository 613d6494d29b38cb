import { dueAtOf, EVENTS_QUEUE, orderingKeyOf, type DomainEvent } from "../../domain/events.ts";
import type { Unit } from "./unit.ts";

/**
 * Writes domain events into the durable queue inside the transaction `tx`
 * (the transactional outbox): they commit with the change they describe, or
 * not at all. Workers hear of them once the transaction commits.
 */
export async function enqueueEvents(tx: Unit, events: DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  const now = tx.now();
  await tx.db.insert(tx.tables.queueMessages).values(
    events.map((event) => ({
      queue: EVENTS_QUEUE,
      payload: JSON.stringify(event),
      orderingKey: orderingKeyOf(event),
      availableAt: dueAtOf(event, now),
    })),
  );
  await tx.queueWritten(EVENTS_QUEUE);
}
