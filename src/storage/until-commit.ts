/**
 * Reads kept until the next commit: values are kept with the commit version
 * (`Store.commitVersion`) they were read at, and all of them are let go once
 * anything has been committed since, by this process or another. Without a
 * commit version (PostgreSQL, or inside a transaction) nothing is kept. At
 * most `limit` values are kept, the least recently used let go first.
 *
 * What is kept is shared by every caller until the next commit: it must not
 * be changed by them.
 */
export class UntilCommit<V> {
  readonly #kept = new Map<string, V>();
  /** The commit version the kept values were read at. */
  #version: number | undefined;

  constructor(
    private readonly commitVersion: (() => number) | undefined,
    private readonly limit = 200,
  ) {}

  /** The value kept for this key, or what `read` reads (kept if `worthKeeping` says so). */
  async get(key: string, read: () => Promise<V>, worthKeeping: (value: V) => boolean = () => true): Promise<V> {
    // Asked before reading: a commit during the read makes the next call read again, never keeps a stale value.
    const version = this.commitVersion?.();
    if (version === undefined) return read();
    if (version !== this.#version) {
      this.#kept.clear();
      this.#version = version;
    }
    const kept = this.#kept.get(key);
    if (kept !== undefined) {
      // Most recently used last: Map keeps insertion order.
      this.#kept.delete(key);
      this.#kept.set(key, kept);
      return kept;
    }
    const value = await read();
    // A read that began before a later call saw a newer version is not kept: it may be older than that.
    if (version === this.#version && worthKeeping(value)) {
      if (this.#kept.size >= this.limit) this.#kept.delete(this.#kept.keys().next().value!);
      this.#kept.set(key, value);
    }
    return value;
  }
}
