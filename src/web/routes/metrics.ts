import { createHash, timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import type { Metrics } from "../../observability/metrics.ts";

/**
 * `/metrics` for Prometheus, for whoever holds the token: `Authorization:
 * Bearer <token>`, compared in constant time; anyone else gets 401.
 */
export function metricsRoutes(metrics: Metrics, token: string) {
  const app = new Hono();
  const expected = digest(token);

  app.get("/", async (c) => {
    const given = /^Bearer ([\x21-\x7e]+)$/.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
    // Digests have one length, so the comparison takes as long whatever was sent.
    if (!timingSafeEqual(digest(given), expected)) {
      return c.text("A bearer token is needed.\n", 401, { "www-authenticate": 'Bearer realm="metrics"' });
    }
    const { body, contentType } = await metrics.exposition();
    return c.body(body, 200, { "content-type": contentType, "cache-control": "no-store" });
  });

  return app;
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
