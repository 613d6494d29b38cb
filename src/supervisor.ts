import cluster, { type Worker } from "node:cluster";
import type { Config } from "./config/config.ts";
import { appLogger } from "./logging.ts";

/** What a process under the supervisor sends once it serves requests (or, as a worker, works the queues). */
export const READY_MESSAGE = "connexo:ready";

/**
 * A process that stops before it is ready, or sooner than this after, is
 * failing (a database it cannot open, a port it cannot have), not crashing
 * now and then: starting it again would only fail again, so everything stops
 * instead and the service manager sees it.
 */
const FAILING_WITHIN_MS = 10_000;

/**
 * Beyond the processes' own shutdown time, how long to wait before killing
 * one that has not stopped: enough for it to release its queue messages,
 * close its database and send its last traces after its deadline.
 */
const STOP_GRACE_MS = 15_000;

/**
 * Runs CONNEXO_PROCESSES copies of this program (each `runServerProcess`,
 * in the configured role), so that one instance uses several cores. They
 * listen on one port, which Node's cluster module shares out connection by
 * connection, and share the database: on SQLite, the file, whose writes take
 * turns. The first starts alone, so that it alone brings the database's
 * schema up to date. One that crashes after running a while is replaced; one
 * that stops of its own accord (SIGTERM to it, code 0) means the service is
 * stopping; on SIGTERM or SIGINT each is told to stop, and the supervisor
 * exits once all have.
 */
export async function superviseProcesses(config: Config): Promise<void> {
  /** The processes still running, and when each said it was ready. */
  const running = new Set<Worker>();
  const readyAt = new Map<Worker, number>();
  let stopping = false;
  let exitCode = 0;

  const start = () => {
    const worker = cluster.fork();
    running.add(worker);
    void readyOrGone(worker).then((ready) => {
      if (ready) readyAt.set(worker, Date.now());
    });
    return worker;
  };

  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (running.size === 0) process.exit(exitCode);
    for (const worker of running) worker.process.kill("SIGTERM");
    setTimeout(() => {
      for (const worker of running) worker.process.kill("SIGKILL");
    }, config.shutdownTimeoutMs + STOP_GRACE_MS).unref();
  };

  cluster.on("exit", (worker, code, signal) => {
    const ready = readyAt.get(worker);
    running.delete(worker);
    readyAt.delete(worker);
    if (stopping) {
      if (running.size === 0) process.exit(exitCode);
      return;
    }
    const pid = worker.process.pid;
    const how = signal ? `on ${signal}` : `with code ${code}`;
    if (code === 0 || signal === "SIGTERM" || signal === "SIGINT") {
      // Asked to stop (by the service manager, say, before the supervisor heard of it): so is everything.
      appLogger.info(`Process {pid} stopped ${how}; stopping the others`, { pid });
      stopAll(0);
      return;
    }
    if (ready === undefined || Date.now() - ready < FAILING_WITHIN_MS) {
      const when = ready === undefined ? "before it was ready" : "just after it started";
      appLogger.error(`Process {pid} stopped ${how} ${when}; stopping the others`, { pid });
      stopAll(code || 1);
      return;
    }
    appLogger.warn(`Process {pid} stopped ${how}; starting another in its place`, { pid });
    const next = start();
    void readyOrGone(next).then((started) => {
      if (started) appLogger.info("Process {next} started in place of {pid}", { next: next.process.pid, pid });
    });
  });
  process.on("SIGTERM", () => stopAll(0));
  process.on("SIGINT", () => stopAll(0));

  const first = start();
  if (!(await readyOrGone(first)) || stopping) return;
  const rest = Array.from({ length: config.processes - 1 }, start);
  if (!(await Promise.all(rest.map(readyOrGone))).every(Boolean) || stopping) return;
  appLogger.info("Running {processes} processes ({role}): {pids}", {
    processes: config.processes,
    role: config.role,
    pids: [first, ...rest].map((worker) => worker.process.pid).join(", "),
  });
}

/** Whether the process said it was ready before it exited. */
function readyOrGone(worker: Worker): Promise<boolean> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (message !== READY_MESSAGE) return;
      settle(true);
    };
    const onExit = () => settle(false);
    const settle = (ready: boolean) => {
      worker.off("message", onMessage);
      worker.off("exit", onExit);
      resolve(ready);
    };
    worker.on("message", onMessage);
    worker.on("exit", onExit);
  });
}
