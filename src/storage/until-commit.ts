/**
 * Reads kept until the next commit: each value is kept with the commit
 * version it was read at (`Store.commitVersion`), and read again once
 * anything has been committed since, by this process or another. Without a
 * commit version (PostgreSQL, or inside a transaction) nothing is kept. At
 * most `limit` values are kept, the least recently used let go first.
 *
 * What is kept is shared by every caller until the next commit: it must not
 * be changed by them.
 */
export class UntilCommit<V> {
  readonly #kept = new Map<string, { version: number; value: V }>();

  constructor(
    private readonly commitVersion: (() => number) | undefined,
    private readonly limit = 200,
  ) {}

  async get(key: string, read: () => Promise<V>): Promise<V> {
    const version = this.commitVersion?.();
    if (version === undefined) return read();
    const kept = this.#kept.get(key);
    if (kept?.version === version) {
      // Most recently used last: Map keeps insertion order.
      this.#kept.delete(key);
      this.#kept.set(key, kept);
      return kept.value;
    }
    // Read after the version was: a commit in between makes the next call read again, never keeps a stale value.
    const value = await read();
    this.#kept.delete(key);
    if (this.#kept.size >= this.limit) this.#kept.delete(this.#kept.keys().next().value!);
    this.#kept.set(key, { version, value });
    return value;
  }
}
