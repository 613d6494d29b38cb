import { createHash, createPrivateKey, type JsonWebKey, type KeyObject, randomUUID, sign } from "node:crypto";
import { createRequire } from "node:module";
import type { MessageQueue } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { Dispatcher } from "undici";
import type { HandlerVerdict, VerdictQueue } from "../queue.ts";
import { PublicInboxes } from "./public-inboxes.ts";

// undici's global dispatcher, as in outgoing-limits.ts: the one Node's fetch uses, with its limits installed.
const require = createRequire(import.meta.url);
const { getGlobalDispatcher } = require("undici/lib/global.js") as Pick<typeof import("undici"), "getGlobalDispatcher">;

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
  /** The time, in epoch milliseconds, for remembering failures; tests move it. */
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
 * what signing and sending cost. Here the key is imported once, the request
 * is signed (draft-cavage `rsa-sha256`, which Mastodon and the servers that
 * talk to it take)
 * on libuv's thread pool instead of the main thread, and sent through
 * undici's dispatcher with the same deadline and size limit as every other
 * request.
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
  readonly #failedAt = new Map<string, number>();
  readonly #userAgent: string;
  readonly #now: () => number;
  readonly #failureMemoryMs: number;
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
    this.#now = now;
    this.#failureMemoryMs = failureMemoryMs;
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
    if (this.#failedLately(inbox.origin)) return false;
    const pair = message.keys.find((key) => typeof key?.keyId === "string" && key.privateKey?.kty === "RSA");
    if (!pair) return false;
    try {
      const status = await post(inbox, JSON.stringify(message.activity), {
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
    this.#remember(inbox.origin);
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

  /** Servers are remembered in the order they failed; past the bound, the oldest failure is forgotten first. */
  #remember(origin: string) {
    this.#failedAt.delete(origin);
    if (this.#failedAt.size >= FAILED_SERVERS_HELD) this.#failedAt.delete(this.#failedAt.keys().next().value!);
    this.#failedAt.set(origin, this.#now());
  }

  #failedLately(origin: string): boolean {
    const at = this.#failedAt.get(origin);
    if (at === undefined) return false;
    if (this.#now() - at < this.#failureMemoryMs) return true;
    this.#failedAt.delete(origin);
    return false;
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

interface Signing {
  key: KeyObject;
  keyId: string;
  userAgent: string;
  headers: Record<string, string>;
}

/** POSTs a signed activity; resolves with the status once the answer has been read. */
async function post(inbox: URL, body: string, signing: Signing): Promise<number> {
  const path = `${inbox.pathname}${inbox.search}`;
  // Signed with the wall clock, whatever clock the instance runs on: the receiver checks the date against its own.
  const date = new Date().toUTCString();
  const digest = `SHA-256=${createHash("sha256").update(body).digest("base64")}`;
  const contentType = "application/activity+json";
  const signed = [
    `(request-target): post ${path}`,
    `host: ${inbox.host}`,
    `date: ${date}`,
    `digest: ${digest}`,
    `content-type: ${contentType}`,
  ].join("\n");
  const signature = await new Promise<string>((resolve, reject) =>
    sign("sha256", Buffer.from(signed), signing.key, (error, bytes) => (error ? reject(error) : resolve(bytes.toString("base64")))),
  );
  const headers = {
    ...signing.headers,
    host: inbox.host,
    date,
    digest,
    "content-type": contentType,
    "user-agent": signing.userAgent,
    signature: `keyId="${signing.keyId}",algorithm="rsa-sha256",headers="(request-target) host date digest content-type",signature="${signature}"`,
  };
  return new Promise<number>((resolve, reject) => {
    getGlobalDispatcher().dispatch(
      { origin: inbox.origin, path, method: "POST", headers, body },
      new StatusHandler(resolve, reject) as unknown as Dispatcher.DispatchHandler,
    );
  });
}

/**
 * Reads an answer's status and lets its body go by (the outgoing limits still
 * cap it). Written to undici's older handler interface, the one both Node's
 * own undici and the installed one take.
 */
class StatusHandler {
  #status = 0;

  constructor(
    private readonly resolve: (status: number) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  onConnect() {}

  onHeaders(statusCode: number): boolean {
    this.#status = statusCode;
    return true;
  }

  onData(): boolean {
    return true;
  }

  onComplete() {
    this.resolve(this.#status);
  }

  onError(error: Error) {
    this.reject(error);
  }
}
