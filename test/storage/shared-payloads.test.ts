import { describe, expect, it } from "vitest";
import { SharedPayloads, type TakenMessage } from "../../src/storage/queue-table.ts";

const taken = (id: number, sharedPayloadId: number | null): TakenMessage => ({
  id,
  payload: `{"n":${id}}`,
  sharedPayloadId,
  attempts: 1,
  origin: null,
});

describe("the shared payloads of claimed messages", () => {
  it("reads each shared payload once, and hands over a message whose payload is gone not at all", async () => {
    const shared = new SharedPayloads();
    const reads: number[][] = [];
    const read = async (missing: number[]) => {
      reads.push(missing);
      // Payload 2 went with the last message naming it: message 3 was removed since it was claimed.
      return missing.filter((id) => id === 1).map((id) => ({ id, payload: '{"activity":{}}' }));
    };
    const first = await shared.attach([taken(1, 1), taken(2, 1), taken(3, 2), taken(4, null)], read);
    expect(first.map((m) => [m.id, m.shared])).toEqual([
      [1, '{"activity":{}}'],
      [2, '{"activity":{}}'],
      [4, null],
    ]);
    expect(await shared.attach([taken(5, 1)], read)).toMatchObject([{ id: 5, shared: '{"activity":{}}' }]);
    expect(reads).toEqual([[1, 2]]);
  });

  it("holds a bounded number, reading again one it let go of", async () => {
    const shared = new SharedPayloads(2);
    const reads: number[][] = [];
    const read = async (missing: number[]) => {
      reads.push(missing);
      return missing.map((id) => ({ id, payload: `{"k":${id}}` }));
    };
    for (const id of [1, 2, 3, 1]) await shared.attach([taken(id, id)], read);
    expect(reads).toEqual([[1], [2], [3], [1]]);
  });
});
