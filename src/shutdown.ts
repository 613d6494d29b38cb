import type { serve } from "@hono/node-server";
import { appLogger } from "./logging.ts";

type ServerType = ReturnType<typeof serve>;
type Fetch = (request: Request, env: unknown) => Response | Promise<Response>;

/**
 * Graceful stop: once `draining` is set, requests that still arrive (on
 * connections kept alive) are answered 503, to be tried again shortly,
 * while those already being handled finish.
 */
export class Drain {
  draining = false;

  /** The app's fetch, answering 503 once draining has begun. */
  guard(fetch: Fetch): Fetch {
    return (request, env) => {
      if (!this.draining) return fetch(request, env);
      return new Response("This server is restarting. Try again in a few seconds.\n", {
        status: 503,
        headers: { "content-type": "text/plain; charset=utf-8", "retry-after": "5", connection: "close" },
      });
    };
  }

  /**
   * Stops taking requests and queue messages (`stop` aborts the worker), then
   * waits at most `timeoutMs` for requests and handlers in flight. The queue
   * listeners give their handlers the same time, then release what is still
   * running; past the deadline, open connections are cut. Resolves when the
   * process may close its database and exit.
   */
  async stop(options: { server: ServerType | null; worker: Promise<void>; stop: AbortController; timeoutMs: number }): Promise<void> {
    const { server, worker, stop, timeoutMs } = options;
    const started = Date.now();
    appLogger.info("Shutting down: finishing the work in hand, for at most {seconds} s", { seconds: timeoutMs / 1000 });
    this.draining = true;
    stop.abort();
    const serverClosed = server
      ? new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Connections kept alive with no request on them would hold close() until they time out.
          if ("closeIdleConnections" in server) server.closeIdleConnections();
        })
      : Promise.resolve();
    const settled = (work: Promise<unknown>, ms: number) => {
      let timer: NodeJS.Timeout | undefined;
      return Promise.race([
        work.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), ms);
        }),
      ]).finally(() => clearTimeout(timer));
    };
    if (!(await settled(serverClosed, timeoutMs))) {
      appLogger.warn("Requests still running after {seconds} s; closing their connections", { seconds: timeoutMs / 1000 });
      if (server && "closeAllConnections" in server) server.closeAllConnections();
    }
    // The listeners release what is still running at the deadline themselves; this only bounds a database that does not answer.
    const left = Math.max(0, started + timeoutMs + 5_000 - Date.now());
    if (!(await settled(worker, left))) appLogger.warn("The queue worker did not stop in time; its claims lapse after their lease");
    appLogger.info("Stopped");
  }
}
