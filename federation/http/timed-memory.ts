/**
 * What was found out about a key (a server, a host) for a while: each entry
 * is forgotten once `ttlMs` has passed on the given clock, and past `held`
 * entries the oldest goes first, so that no flood of new keys grows it.
 */
export class TimedMemory<V> {
  readonly #entries = new Map<string, { value: V; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly held: number,
    private readonly now: () => number,
  ) {}

  /** What was noted for the key, unless it is older than the time it is kept for. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (this.now() - entry.at < this.ttlMs) return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  /** Notes a value for the key as of now; kept in the order noted, so the oldest makes room. */
  set(key: string, value: V): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.held) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { value, at: this.now() });
  }
}
