import { describe, expect, it } from "vitest";
import { Drain } from "../src/shutdown.ts";

describe("graceful stop", () => {
  it("answers requests that arrive while draining with 503 and a time to come back", async () => {
    const drain = new Drain();
    const fetch = drain.guard(() => new Response("ok"));
    expect((await fetch(new Request("http://x.example/"), {})).status).toBe(200);
    drain.draining = true;
    const refused = await fetch(new Request("http://x.example/"), {});
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
  });

  it("stops the worker and waits for it, no longer than the deadline allows", async () => {
    const drain = new Drain();
    const stop = new AbortController();
    let finish = () => {};
    const worker = new Promise<void>((resolve) => {
      finish = resolve;
    });
    stop.signal.addEventListener("abort", () => setTimeout(finish, 50));
    await drain.stop({ server: null, worker, stop, timeoutMs: 1_000 });
    expect(stop.signal.aborted).toBe(true);
    expect(drain.draining).toBe(true);
  });
});
