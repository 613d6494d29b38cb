import type { Store } from "../../src/storage/repositories.ts";

/**
 * Opens a transaction of the store and holds it open until `rollBack` is
 * called, when it throws (and so rolls back). For tests of what other writers
 * do while a transaction is in progress.
 */
export async function holdTransactionOpen(store: Store): Promise<{ rollBack(): void; ended: Promise<unknown> }> {
  let opened!: () => void;
  const isOpen = new Promise<void>((resolve) => {
    opened = resolve;
  });
  let rollBack!: () => void;
  const failing = new Promise<void>((resolve) => {
    rollBack = resolve;
  });
  const ended = store.transaction(async () => {
    opened();
    await failing;
    throw new Error("rolled back");
  });
  await isOpen;
  return { rollBack, ended };
}
