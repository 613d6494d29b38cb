import { createHash } from "node:crypto";

/**
 * How many activities one remote server, and one remote actor, may post to
 * the inboxes here in a window (a minute); 0 turns a limit off.
 */
export interface InboxRateLimits {
  perDomain: number;
  perActor: number;
}

export interface InboxRateLimiterOptions {
  limits: InboxRateLimits;
  /** The instance's clock, in epoch milliseconds. */
  now: () => number;
  /** Whether anyone on this origin follows an actor here yet. */
  hasFollowerFrom(origin: string): Promise<boolean>;
  /** 60 seconds unless given. */
  windowMs?: number;
  /** Keys each counter holds at most; the least recently seen go first. */
  maxKeys?: number;
}

/** Whether a request may go on, or how many seconds its sender should wait. */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Follows let through over the limits, per server and window, while nobody there follows anyone here. */
const FIRST_FOLLOWS_PER_WINDOW = 10;
/** Keys longer than this are kept as their hash, so a long key id costs no more memory than a short one. */
const MAX_KEY_LENGTH = 256;

/**
 * Limits on what other servers post to the inboxes, keyed by the
 * signature's key id alone (its host is the server, the key without its
 * fragment the actor). They are checked before the signature is verified or
 * the activity read, so a flood costs a map lookup, not a key fetch or a
 * JSON-LD expansion; but only requests whose signature verified are counted,
 * so no one can use up another server's allowance by naming its key.
 *
 * The counts live in this process's memory, in fixed windows: with several
 * web processes each counts its own share, so an instance as a whole lets
 * through up to the limit times the number of processes. Each counter holds
 * a bounded number of keys, so a flood of made-up hosts cannot grow memory
 * without limit; it only makes the counter forget the quietest senders first.
 *
 * A server's first Follow (while nobody there follows anyone here) goes
 * through over the limits, so that a person is not shut out by a noisy
 * neighbour on their server; at most a few such Follows a window, so that
 * Follows which never make a follower are no way around the limits.
 */
export class InboxRateLimiter {
  readonly #domains: WindowCounter;
  readonly #actors: WindowCounter;
  readonly #firstFollows: WindowCounter;

  constructor(private readonly options: InboxRateLimiterOptions) {
    const windowMs = options.windowMs ?? 60_000;
    const maxKeys = options.maxKeys ?? 10_000;
    this.#domains = new WindowCounter(options.limits.perDomain, windowMs, maxKeys);
    this.#actors = new WindowCounter(options.limits.perActor, windowMs, maxKeys);
    this.#firstFollows = new WindowCounter(FIRST_FOLLOWS_PER_WINDOW, windowMs, maxKeys);
  }

  /** Whether any limit is on at all. */
  get enabled(): boolean {
    return this.options.limits.perDomain > 0 || this.options.limits.perActor > 0;
  }

  /**
   * Whether a request signed with this key id is within the limits, before
   * anything of it is read or verified. It is not counted yet: only a request
   * whose signature verifies is (`count`), so someone naming another server's
   * key id cannot use up that server's allowance.
   */
  check(keyId: URL): RateDecision {
    const now = this.options.now();
    const wait = Math.max(this.#domains.wait(domainKey(keyId), now), this.#actors.wait(actorKey(keyId), now));
    return wait > 0 ? { ok: false, retryAfterSeconds: Math.ceil(wait / 1000) } : { ok: true };
  }

  /** Counts a request whose signature, made with this key id, verified. */
  count(keyId: URL): void {
    const now = this.options.now();
    this.#domains.add(domainKey(keyId), now);
    this.#actors.add(actorKey(keyId), now);
  }

  /**
   * Whether a request beyond the limits goes through all the same: a Follow
   * from a server where nobody follows anyone here yet.
   */
  async firstFollow(keyId: URL, body: Uint8Array): Promise<boolean> {
    if (!isFollow(body)) return false;
    const now = this.options.now();
    const domain = keyOf(keyId.host);
    if (this.#firstFollows.wait(domain, now) > 0) return false;
    if (await this.options.hasFollowerFrom(keyId.origin)) return false;
    this.#firstFollows.add(domain, now);
    return true;
  }
}

/** Whether an inbox body (already within the inbox limits) is a Follow. */
function isFollow(body: Uint8Array): boolean {
  try {
    const type = (JSON.parse(new TextDecoder().decode(body)) as { type?: unknown } | null)?.type;
    return type === "Follow" || (Array.isArray(type) && type.includes("Follow"));
  } catch {
    return false;
  }
}

const domainKey = (keyId: URL) => keyOf(keyId.host);
const actorKey = (keyId: URL) => keyOf(keyId.origin + keyId.pathname + keyId.search);

function keyOf(value: string): string {
  return value.length <= MAX_KEY_LENGTH ? value : createHash("sha256").update(value).digest("base64url");
}

/**
 * Counts per key in fixed windows that start at a key's first count. A Map
 * keeps keys in the order they were last seen, so the least recently seen
 * is dropped first when there are too many.
 */
export class WindowCounter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys: number,
  ) {}

  /** Milliseconds until this key may be counted again; 0 when it may now (always, when the limit is 0). */
  wait(key: string, now: number): number {
    if (this.limit <= 0) return 0;
    const window = this.#windows.get(key);
    if (!window || now - window.start >= this.windowMs || window.count < this.limit) return 0;
    return window.start + this.windowMs - now;
  }

  add(key: string, now: number): void {
    if (this.limit <= 0) return;
    const current = this.#windows.get(key);
    const window = current && now - current.start < this.windowMs ? current : { start: now, count: 0 };
    window.count++;
    this.#windows.delete(key);
    this.#windows.set(key, window);
    if (this.#windows.size > this.maxKeys) {
      const oldest = this.#windows.keys().next().value;
      if (oldest !== undefined) this.#windows.delete(oldest);
    }
  }

  /** Keys held now. */
  get size(): number {
    return this.#windows.size;
  }
}
