/**
 * Gathers items into batches for `write`: an item waits for the next turn of
 * the event loop, or, while a batch is being written, for that one to be
 * written first, and joins whatever else came meanwhile. Each call settles
 * when its own batch is written, or fails with it.
 */
export function batched<T>(write: (items: T[]) => Promise<void>): (item: T) => Promise<void> {
  let gathering: { items: T[]; written: Promise<void> } | null = null;
  let lastWritten: Promise<unknown> = Promise.resolve();
  return (item) => {
    if (!gathering) {
      const items: T[] = [];
      const written = lastWritten
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => {
          // Items from now on go to the next batch, written after this one.
          gathering = null;
          return write(items);
        });
      lastWritten = written.catch(() => {});
      gathering = { items, written };
    }
    gathering.items.push(item);
    return gathering.written;
  };
}
