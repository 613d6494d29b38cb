import { isRecord } from "../src/domain/json.ts";

/** A batch of messages as it is written: what they all share (a JSON object), and each one's own fields. */
export interface SplitBatch {
  shared: string | null;
  own(message: unknown): unknown;
}

/**
 * Splits off the fields every message of a batch holds the very same object
 * in: what Fedify gives each delivery of one activity (the activity, the
 * signing keys). Written once for the batch, they are not copied into
 * thousands of rows, read back and deleted with each. Equal but separate
 * objects are not shared, so no message is ever given a field it did not have.
 */
export function splitShared(messages: readonly unknown[]): SplitBatch {
  const records = messages.filter(isRecord);
  const [first] = records;
  if (messages.length < 2 || records.length < messages.length || !first) return { shared: null, own: (message) => message };
  const fields = Object.keys(first).filter((key) => {
    const value = first[key];
    return typeof value === "object" && value !== null && records.every((message) => message[key] === value);
  });
  if (fields.length === 0) return { shared: null, own: (message) => message };
  return {
    shared: JSON.stringify(Object.fromEntries(fields.map((key) => [key, first[key]]))),
    own: (message) => {
      const own = { ...(message as Record<string, unknown>) };
      for (const field of fields) delete own[field];
      return own;
    },
  };
}
