import { createRequire } from "node:module";
import type { Dispatcher } from "undici";

// Only the two parts of undici used here: its main module loads a hundred
// files more (mock agents, caches, WebSocket), a tenth of a second of start-up.
const require = createRequire(import.meta.url);
const { getGlobalDispatcher, setGlobalDispatcher } = require("undici/lib/global.js") as Pick<
  typeof import("undici"),
  "getGlobalDispatcher" | "setGlobalDispatcher"
>;
const DecoratorHandler = require("undici/lib/handler/decorator-handler.js") as typeof import("undici").DecoratorHandler;

/** What any one request to another server may cost. */
export interface OutgoingLimits {
  /** Connect, headers and body together. */
  timeoutMs: number;
  /** Bytes of response body read before the request is cut off. */
  maxBytes: number;
}

export class OutgoingLimitError extends Error {
  override name = "OutgoingLimitError";
}

const INSTALLED = Symbol.for("connexo.outgoingLimits");

/**
 * Holds every HTTP request this process makes (Fedify's deliveries, key and
 * object fetches, WebFinger) to a total deadline and a response size limit.
 * Node's fetch sends everything through the global dispatcher, so this is the
 * one place that sees requests Fedify makes on its own. It wraps whatever
 * dispatcher is in place (a test's TLS agent, say), once.
 */
export function installOutgoingLimits(limits: OutgoingLimits): void {
  const current = getGlobalDispatcher() as Dispatcher & { [INSTALLED]?: { base: Dispatcher } };
  const base = current[INSTALLED]?.base ?? current;
  const limited = base.compose(limitInterceptor(limits)) as Dispatcher & { [INSTALLED]?: { base: Dispatcher } };
  limited[INSTALLED] = { base };
  setGlobalDispatcher(limited);
}

function limitInterceptor(limits: OutgoingLimits): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => dispatch(options, new LimitedHandler(handler, limits, options));
}

type Controller = Dispatcher.DispatchController;
type Headers = Record<string, string | string[] | undefined>;
interface Callbacks {
  onRequestStart(controller: Controller, context: object): void;
  onResponseStart(controller: Controller, statusCode: number, headers: Headers, statusMessage?: string): void;
  onResponseData(controller: Controller, chunk: Buffer): void;
  onResponseEnd(controller: Controller, trailers: Headers): void;
  onResponseError(controller: Controller, error: Error): void;
}
// undici's types describe DecoratorHandler's older callbacks; at run time it
// forwards the current ones, and adapts a handler written for the older ones.
const Forwarding = DecoratorHandler as unknown as new (handler: Dispatcher.DispatchHandler) => Callbacks;

/**
 * Cuts a request off once its deadline passes or its body grows past the
 * limit. A server trickling one byte every few seconds resets no timer here:
 * the deadline counts from the start.
 */
class LimitedHandler extends Forwarding {
  #controller: Controller | null = null;
  #pending: Error | null = null;
  #timer: NodeJS.Timeout;
  #received = 0;
  readonly #limits: OutgoingLimits;
  readonly #target: string;

  constructor(handler: Dispatcher.DispatchHandler, limits: OutgoingLimits, options: Dispatcher.DispatchOptions) {
    super(handler);
    this.#limits = limits;
    this.#target = `${String(options.origin ?? "")}${options.path}`;
    this.#timer = setTimeout(
      () => this.#cut(new OutgoingLimitError(`${this.#target} did not answer within ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );
    this.#timer.unref();
  }

  #cut(error: Error) {
    if (this.#controller) this.#controller.abort(error);
    else this.#pending = error;
  }

  override onRequestStart(controller: Controller, context: object) {
    this.#controller = controller;
    if (this.#pending) return controller.abort(this.#pending);
    return super.onRequestStart(controller, context);
  }

  override onResponseStart(controller: Controller, statusCode: number, headers: Headers, statusMessage?: string) {
    const declared = Number(headers["content-length"]);
    if (declared > this.#limits.maxBytes) {
      return controller.abort(
        new OutgoingLimitError(`${this.#target} announced ${declared} bytes, over the limit of ${this.#limits.maxBytes}`),
      );
    }
    return super.onResponseStart(controller, statusCode, headers, statusMessage);
  }

  override onResponseData(controller: Controller, chunk: Buffer) {
    this.#received += chunk.length;
    if (this.#received > this.#limits.maxBytes) {
      return controller.abort(new OutgoingLimitError(`${this.#target} sent more than ${this.#limits.maxBytes} bytes`));
    }
    return super.onResponseData(controller, chunk);
  }

  override onResponseEnd(controller: Controller, trailers: Headers) {
    clearTimeout(this.#timer);
    return super.onResponseEnd(controller, trailers);
  }

  override onResponseError(controller: Controller, error: Error) {
    clearTimeout(this.#timer);
    return super.onResponseError(controller, error);
  }
}
