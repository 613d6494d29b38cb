/**
 * A clock that moves only when a test moves it, for code that takes one (a
 * `now` option, in epoch milliseconds): nothing waits for time to pass.
 *
 * Each reading is counted, so that a test can wait until the code has looked
 * at the time again. A queue listener, for one, reads it when it claims
 * messages and again before it sleeps, so once it has read the clock a few
 * times after a change it has claimed (or not) at the new time.
 */
export class ManualClock {
  #time: number;
  #reads = 0;
  #waiting: { reads: number; resolve: () => void }[] = [];

  constructor(start = Date.now()) {
    this.#time = start;
  }

  /** The time; pass this as the code's `now`. */
  readonly now = (): number => {
    this.#reads++;
    if (this.#waiting.some((waiter) => waiter.reads <= this.#reads)) {
      const due = this.#waiting.filter((waiter) => waiter.reads <= this.#reads);
      this.#waiting = this.#waiting.filter((waiter) => waiter.reads > this.#reads);
      for (const waiter of due) waiter.resolve();
    }
    return this.#time;
  };

  /** The time, without counting as a reading. */
  get time(): number {
    return this.#time;
  }

  advance(ms: number): void {
    this.#time += ms;
  }

  /** Resolves once `now` has been read `times` more times; fails if that takes longer than `timeoutMs` of real time. */
  readAgain(times: number, timeoutMs = 5_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The clock was read fewer than ${times} more times in ${timeoutMs} ms`)), timeoutMs);
      this.#waiting.push({
        reads: this.#reads + times,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}
