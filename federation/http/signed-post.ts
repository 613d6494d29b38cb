import { createHash, type KeyObject, sign } from "node:crypto";
import { createRequire } from "node:module";
import type { Dispatcher } from "undici";

// undici's global dispatcher, as in outgoing-limits.ts: the one Node's fetch uses, with its limits installed.
const require = createRequire(import.meta.url);
const { getGlobalDispatcher } = require("undici/lib/global.js") as Pick<typeof import("undici"), "getGlobalDispatcher">;

/** What signs a request: the sender's key and its id, and the headers it carries besides. */
export interface Signing {
  key: KeyObject;
  keyId: string;
  userAgent: string;
  headers: Record<string, string>;
}

/**
 * POSTs an activity signed as Mastodon signs (draft-cavage `rsa-sha256` over
 * `(request-target)`, `host`, `date`, `digest` and `content-type`), signing on
 * libuv's thread pool instead of the main thread, through undici's dispatcher
 * with the same deadline and size limit as every other request. Resolves with
 * the status once the answer has been read.
 */
export async function postSigned(inbox: URL, body: string, signing: Signing): Promise<number> {
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
