import { createPrivateKey, type JsonWebKey, type KeyObject, randomUUID } from "node:crypto";
import type { MessageQueue } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { HandlerVerdict, VerdictQueue } from "../queue.ts";
import { PublicInboxes } from "./public-inboxes.ts";
import { postSigned } from "./signed-post.ts";
import { TimedMemory } from "./timed-memory.ts";

const logger = getLogger(["connexo", "federation", "delivery"]);

/** How many failed servers are remembered at most; a forgotten one just gets its next delivery tried here again. */
const FAILED_SERVERS_HELD = 10_000;

/**
 * The part of one of Fedify's queued deliveries read here: an activity Fedify
 * has already compacted and signed (Linked Data signature, proofs), the inbox
 * it goes to, and the sender's keys as JWK.
 */
interface PreparedDelivery {
  type: "outbox";
  inbox: string;
  activity: object;
  activityId?: string;
  keys: { keyId: string; privateKey: JsonWebKey }[];
  headers?: Record<string, string>;
  circuitHeld?: true;
}

function isPreparedDelivery(message: unknown): message is PreparedDelivery {
  if (typeof message !== "object" || message === null) return false;
  const m = message as Partial<PreparedDelivery>;
  return (
    m.type === "outbox" &&
    typeof m.inbox === "string" &&
    URL.canParse(m.inbox) &&
    typeof m.activity === "object" &&
    m.activity !== null &&
    Array.isArray(m.keys)
  );
}

export interface DeliveryOptions {
  /** Sent as User-Agent, as our fetches are. */
  userAgent: string;
  /** Where deliveries prepared here are queued: Fedify's outbox queue, so that a failure is Fedify's to retry. */
  queue?: MessageQueue;
  /** The time, in epoch milliseconds, for remembering failures and addresses; tests move it. */
  now?: () => number;
  /** How long a server that failed a delivery gets its deliveries through Fedify alone. */
  failureMemoryMs?: number;
  /** How many senders' imported keys are held. */
  heldKeys?: number;
  /**
   * Whether inboxes on loopback and private addresses get deliveries: for
   * tests and local demos only. Otherwise such a delivery is dropped, as a
   * fetch from there is refused, whoever's handler would send it.
   */
  allowPrivateAddress?: boolean;
}

/**
 * Sends Fedify's prepared deliveries itself, on the happy path. Fedify
 * prepares an activity once for all its inboxes, then for each inbox imports
 * the sender's key afresh, asks the key-value store twice about the server's
 * circuit and once about which signature it takes, and sends through
 * `fetch`, making a `Request` and `Response` on the way: three to four times
 * what signing and sending cost. Here the key is imported once, and the
 * request is signed and sent by `postSigned` (draft-cavage `rsa-sha256`,
 * which Mastodon and the servers that talk to it take).
 *
 * Anything else goes to Fedify as before, which then decides on retries, a
 * permanent failure (404, 410), its circuit breaker and the double knock: a
 * delivery that fails here (any error or non-2xx answer), one already held by
 * the circuit breaker, and every delivery to a server that failed one lately.
 * A failed delivery is therefore tried twice at once, the second time by
 * Fedify; servers drop the duplicate by its id.
 */
export class DirectDelivery {
  readonly #keys = new Map<string, KeyObject>();
  readonly #exported = new WeakMap<CryptoKey, Promise<JsonWebKey>>();
  readonly #queue: MessageQueue | undefined;
  /** Servers that failed a delivery lately: theirs go to Fedify alone for a while. */
  readonly #failed: TimedMemory<true>;
  readonly #userAgent: string;
  readonly #heldKeys: number;
  readonly #inboxes: PublicInboxes;

  constructor({
    userAgent,
    queue,
    now = Date.now,
    failureMemoryMs = 10 * 60_000,
    heldKeys = 1_000,
    allowPrivateAddress = false,
  }: DeliveryOptions) {
    this.#queue = queue;
    this.#userAgent = userAgent;
    this.#failed = new TimedMemory(failureMemoryMs, FAILED_SERVERS_HELD, now);
    this.#heldKeys = heldKeys;
    this.#inboxes = new PublicInboxes({ allowPrivateAddress, now });
  }

  /** Whether a message is a delivery nobody may send: to an inbox that is not on a public address (`PublicInboxes`). */
  refuses(message: unknown): Promise<boolean> {
    if (!isPreparedDelivery(message)) return Promise.resolve(false);
    return this.#inboxes.refuses(message.inbox, message.activityId);
  }

  /** Whether this sent the message; false leaves it to Fedify. */
  async send(message: unknown): Promise<boolean> {
    if (!isPreparedDelivery(message) || message.circuitHeld) return false;
    const inbox = new URL(message.inbox);
    if (this.#failed.get(inbox.origin)) return false;
    const pair = message.keys.find((key) => typeof key?.keyId === "string" && key.privateKey?.kty === "RSA");
    if (!pair) return false;
    try {
      const status = await postSigned(inbox, JSON.stringify(message.activity), {
        key: this.#key(pair.keyId, pair.privateKey),
        keyId: pair.keyId,
        userAgent: this.#userAgent,
        headers: message.headers ?? {},
      });
      if (status >= 200 && status < 300) {
        logger.debug("Delivered {activityId} to {inbox}", { activityId: message.activityId, inbox: inbox.href });
        return true;
      }
      logger.debug("{inbox} answered {status}; Fedify takes the delivery over", { inbox: inbox.href, status });
    } catch (error) {
      logger.debug("Could not deliver to {inbox}; Fedify takes the delivery over: {error}", { inbox: inbox.href, error });
    }
    this.#failed.set(inbox.origin, true);
    return false;
  }

  /**
   * Queues an activity prepared here, one delivery per inbox, in the form
   * Fedify queues its own (so that Fedify's handler can take a failed one
   * over): compacted once, and sent with the HTTP signature alone. Fedify
   * would also sign the activity itself (a Linked Data signature over the
   * canonicalised document, the costliest part of answering a follow); that
   * is for activities passed on to third parties, which an answer meant for
   * one actor never is.
   */
  async queue(prepared: PreparedActivity, sender: SenderKey, inboxes: { inbox: string; actorId: string }[]): Promise<void> {
    if (!this.#queue) throw new Error("This delivery has no queue to put activities on");
    const privateKey = await this.#export(sender.privateKey);
    const messages = inboxes.map(({ inbox, actorId }) => ({
      type: "outbox",
      id: randomUUID(),
      baseUrl: prepared.baseUrl,
      keys: [{ keyId: sender.keyId, privateKey }],
      activity: prepared.json,
      activityId: prepared.id,
      activityType: prepared.type,
      inbox,
      sharedInbox: false,
      actorIds: [actorId],
      // Fedify counts a delivery's age for its retries by the wall clock.
      started: new Date().toISOString(),
      attempt: 0,
      headers: {},
      traceContext: {},
    }));
    if (this.#queue.enqueueMany) await this.#queue.enqueueMany(messages);
    else for (const message of messages) await this.#queue.enqueue(message);
  }

  #export(key: CryptoKey): Promise<JsonWebKey> {
    let exported = this.#exported.get(key);
    if (!exported) {
      exported = crypto.subtle.exportKey("jwk", key) as Promise<JsonWebKey>;
      this.#exported.set(key, exported);
    }
    return exported;
  }

  #key(keyId: string, jwk: JsonWebKey): KeyObject {
    // A key replaced under the same id has another modulus.
    const name = `${keyId} ${jwk.n}`;
    let key = this.#keys.get(name);
    if (!key) {
      key = createPrivateKey({ key: jwk, format: "jwk" });
      if (this.#keys.size >= this.#heldKeys) this.#keys.delete(this.#keys.keys().next().value!);
      this.#keys.set(name, key);
    }
    return key;
  }
}

/** An activity ready to go: its compacted JSON-LD, id, type IRI, and the instance's origin. */
export interface PreparedActivity {
  json: unknown;
  id: string;
  type: string;
  baseUrl: string;
}

/** The RSA key that signs the requests, and its id. */
export interface SenderKey {
  keyId: string;
  privateKey: CryptoKey;
}

/**
 * Fedify's queue, with each prepared delivery offered to `delivery` before
 * Fedify's own handler sees it, and dropped if its inbox is not on a public
 * address (unless the instance allows that). Fedify retries a failed
 * delivery by queueing it again (same id, one attempt more) from inside its
 * handler, which then returns as if done; the handler here answers "retried"
 * for such a message, so that the queue counts it as retried.
 */
export function withDirectDelivery(queue: VerdictQueue, delivery: DirectDelivery): MessageQueue {
  const requeued = new Set<string>();
  const note = (message: unknown) => {
    const { id, attempt } = message as { id?: unknown; attempt?: unknown };
    if (isPreparedDelivery(message) && typeof id === "string" && typeof attempt === "number" && attempt > 0) requeued.add(id);
  };
  return {
    nativeRetrial: queue.nativeRetrial,
    enqueue: (message, options) => {
      note(message);
      return queue.enqueue(message, options);
    },
    ...(queue.enqueueMany
      ? {
          enqueueMany: (messages, options) => {
            for (const message of messages) note(message);
            return queue.enqueueMany!(messages, options);
          },
        }
      : {}),
    ...(queue.getDepth ? { getDepth: () => queue.getDepth!() } : {}),
    listen: (handler, options) =>
      queue.listen(async (message): Promise<HandlerVerdict> => {
        if (await delivery.refuses(message)) return;
        if (await delivery.send(message)) return;
        await handler(message);
        const id = (message as { id?: unknown }).id;
        if (isPreparedDelivery(message) && typeof id === "string" && requeued.delete(id)) return "retried";
      }, options),
  };
}
