import type { MiddlewareHandler } from "hono";

/**
 * Behind a TLS-terminating proxy the operator trusts, takes the scheme and
 * host the client used from X-Forwarded-Proto and X-Forwarded-Host, so that
 * URLs and signature checks see the public address. Untrusted, the headers
 * are ignored.
 */
export function forwardedHeaders(trustProxy: boolean): MiddlewareHandler {
  return async (c, next) => {
    if (!trustProxy) return next();
    const proto = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim();
    const host = c.req.header("x-forwarded-host")?.split(",")[0]?.trim();
    if (!proto && !host) return next();
    const url = new URL(c.req.url);
    if (proto === "http" || proto === "https") url.protocol = `${proto}:`;
    if (host) {
      url.host = host;
      // A forwarded host without a port means the scheme's default port, not ours.
      if (!host.includes(":")) url.port = "";
    }
    const headers = new Headers(c.req.raw.headers);
    if (host) headers.set("host", host);
    const raw = c.req.raw;
    c.req.raw = new Request(url, {
      method: raw.method,
      headers,
      body: raw.body,
      // Node's fetch needs this to pass a streamed body on.
      duplex: "half",
    } as RequestInit);
    return next();
  };
}
