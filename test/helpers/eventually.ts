import { performance } from "node:perf_hooks";

/**
 * Waits until check() returns a truthy value, polling, and returns it; fails
 * after the timeout. For outcomes that arrive on their own (a delivery, a
 * worker's change), never as a pause. The deadline is on the monotonic clock,
 * so a test that fakes Date still gets its answer or its failure in time.
 */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 15_000, what = "condition"): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
