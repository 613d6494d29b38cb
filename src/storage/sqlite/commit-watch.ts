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
  // Statements are shared per connection (statement-cache.ts): each use says how it reads its rows.
  const dataVersion = writer.prepare("PRAGMA data_version");
  const lastId = reader.prepare("SELECT coalesce(max(id), 0) FROM queue_messages");
  const queuesAfter = reader.prepare<[number], { queue: string; last: number }>(
    "SELECT queue, max(id) AS last FROM queue_messages WHERE id > ? GROUP BY queue",
  );
  let version = dataVersion.pluck().get() as number;
  let seen = lastId.pluck().get() as number;
  const look = () => {
    const now = dataVersion.pluck().get() as number;
    if (now === version) return;
    const gained = queuesAfter.all(seen);
    // Only once read: should reading fail, the next look reads again.
    version = now;
    for (const { queue, last } of gained) {
      seen = Math.max(seen, last);
      signal.emit("enqueued", queue);
    }
  };
  const timer = setInterval(() => {
    try {
      look();
    } catch {
      // A busy or closing file: the listeners' own polling finds the messages meanwhile.
    }
  }, WATCH_INTERVAL_MS);
  // Watching never keeps a process alive.
  timer.unref();
  return () => clearInterval(timer);
}
