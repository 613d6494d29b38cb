import { AsyncLocalStorage } from "node:async_hooks";
import type { MessageQueue } from "@fedify/fedify";
import type { VerdictQueue } from "../queue.ts";

/**
 * Who signed an inbox activity that waits in the queue, when the signature
 * screen checked the signature and Fedify did not check it again: the owner
 * of the key, carried in the queued message. The listener compares it with
 * the activity's actor as Fedify reads it once the worker takes it, as it
 * does for one handled at once (`signedByActor` in `index.ts`).
 */
const SIGNER_FIELD = "connexoSignedBy";

const carried = new AsyncLocalStorage<string>();

/** Runs `work` (Fedify handling an inbox request) with the key owner the screen found, for the queue to write into the message. */
export function carryingSigner<T>(signer: string, work: () => T): T {
  return carried.run(signer, work);
}

/** The key owner of the queued inbox activity being handled, if the screen checked its signature instead of Fedify. */
export function carriedSigner(): string | undefined {
  return carried.getStore();
}

/**
 * The inbox queue of the federation that leaves signatures to the screen:
 * every message it is given is written with its signer. One without (which
 * would reach the listeners as if Fedify had checked it) is refused.
 */
export function stampingSigners(queue: MessageQueue): MessageQueue {
  const stamped = (message: unknown) => {
    const signer = carried.getStore();
    if (signer === undefined || typeof message !== "object" || message === null) {
      throw new Error("An inbox activity whose signature Fedify did not check was queued without the key owner the screen found");
    }
    return { ...message, [SIGNER_FIELD]: signer };
  };
  return {
    nativeRetrial: queue.nativeRetrial,
    enqueue: (message, options) => queue.enqueue(stamped(message), options),
    ...(queue.enqueueMany ? { enqueueMany: (messages, options) => queue.enqueueMany!(messages.map(stamped), options) } : {}),
    ...(queue.getDepth ? { getDepth: () => queue.getDepth!() } : {}),
    listen: () => Promise.reject(new Error("This queue is worked by the main federation")),
  };
}

/** The queue the worker takes messages from, handing each to its handler with the signer written into it, if any. */
export function restoringSigners(queue: VerdictQueue): VerdictQueue {
  return {
    nativeRetrial: queue.nativeRetrial,
    enqueue: (message, options) => queue.enqueue(message, options),
    ...(queue.enqueueMany ? { enqueueMany: (messages, options) => queue.enqueueMany!(messages, options) } : {}),
    ...(queue.getDepth ? { getDepth: () => queue.getDepth!() } : {}),
    listen: (handler, options) =>
      queue.listen((message) => {
        const signer = typeof message === "object" && message !== null ? (message as Record<string, unknown>)[SIGNER_FIELD] : undefined;
        return typeof signer === "string" ? carried.run(signer, () => handler(message)) : handler(message);
      }, options),
  };
}
