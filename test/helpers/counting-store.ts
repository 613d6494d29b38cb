import type { Store } from "../../src/storage/repositories.ts";

/** A store that counts the calls made to it (each repository method call is one query, or one transaction). */
export function countingStore(store: Store) {
  let calls = 0;
  const counted = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, key) {
        const value = Reflect.get(object, key, object);
        if (typeof value === "function") {
          return (...args: unknown[]) => {
            calls++;
            return value.apply(object, args);
          };
        }
        return typeof value === "object" && value !== null ? counted(value) : value;
      },
    });
  return {
    store: counted(store),
    /** How many calls `run` made. */
    async cost(run: () => Promise<unknown>): Promise<number> {
      const before = calls;
      await run();
      return calls - before;
    },
  };
}
