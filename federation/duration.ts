import type { MessageQueueEnqueueOptions } from "@fedify/fedify";

type Duration = NonNullable<MessageQueueEnqueueOptions["delay"]>;

/** Milliseconds in a Temporal.Duration without calendar units (as Fedify gives for delays and TTLs). */
export function durationToMs(duration: Duration): number {
  return (
    duration.days * 86_400_000 +
    duration.hours * 3_600_000 +
    duration.minutes * 60_000 +
    duration.seconds * 1000 +
    duration.milliseconds +
    duration.microseconds / 1000 +
    duration.nanoseconds / 1_000_000
  );
}
