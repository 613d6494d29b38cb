import { EventEmitter } from "node:events";

/** Tells queue listeners in this process that a queue has new messages. */
export type QueueSignal = EventEmitter<{ enqueued: [queue: string] }>;

export function createQueueSignal(): QueueSignal {
  const signal: QueueSignal = new EventEmitter();
  signal.setMaxListeners(0);
  return signal;
}
