import type BetterSqlite3 from "better-sqlite3";
import type { QueueSignal } from "../queue-signal.ts";

/** How often to look: a message another process enqueues waits at most this long for a listener here. */
const WATCH_INTERVAL_MS = 20;

/**
 * Hears of messages that other processes (a separate web process, another
 * of CONNEXO_PROCESSES) enqueue in the same SQLite file. SQLite cannot
 * notify as PostgreSQL does, and without this a listener would only find
 * them at its next poll, up to half a second later.
 *
 * The writing connection's `data_version` changes only when another
 * connection commits, and reading it costs microseconds; only after it
 * changes are the queues with messages newer than those seen read (from the
 * reading connection, which sees only what is committed) and signalled.
 * Commits in this process signal their own queues already.
 */
export function watchOtherProcesses(writer: BetterSqlite3.Database, reader: BetterSqlite3.Database, signal: QueueSignal): () => void {
  const dataVersion = writer.prepare("PRAGMA data_version").pluck();
  const lastId = reader.prepare("SELECT coalesce(max(id), 0) FROM queue_messages").pluck();
  const queuesAfter = reader.prepare<[number], { queue: string; last: number }>(
    "SELECT queue, max(id) AS last FROM queue_messages WHERE id > ? GROUP BY queue",
  );
  let version = dataVersion.get() as number;
  let seen = lastId.get() as number;
  const timer = setInterval(() => {
    const now = dataVersion.get() as number;
    if (now === version) return;
    version = now;
    for (const { queue, last } of queuesAfter.all(seen)) {
      seen = Math.max(seen, last);
      signal.emit("enqueued", queue);
    }
  }, WATCH_INTERVAL_MS);
  // Watching never keeps a process alive.
  timer.unref();
  return () => clearInterval(timer);
}
