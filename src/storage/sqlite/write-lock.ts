import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Lets one piece of work at a time use SQLite's writing connection. A
 * transaction awaits between its statements; without the lock another
 * request's write could land in the middle of it and commit or roll back
 * with it. Work that already holds the lock and asks for it again would wait
 * for itself for ever, so that is refused with an error instead.
 */
export class WriteLock {
  #tail: Promise<unknown> = Promise.resolve();
  readonly #holder = new AsyncLocalStorage<true>();

  run<T>(work: () => T | Promise<T>): Promise<T> {
    if (this.#holder.getStore()) {
      return Promise.reject(new Error("A write waited for the transaction it runs in: inside a transaction, use the store it was given."));
    }
    const result = this.#tail.then(() => this.#holder.run(true, work));
    this.#tail = result.catch(() => {});
    return result;
  }
}
