import { forbidden, invalid, notFound } from "../domain/errors.ts";
import { EVENTS_QUEUE } from "../domain/events.ts";
import type { Actor } from "../domain/types.ts";
import type { DeadLetterTable, DeadMessage, DeadSelection } from "../storage/queue-table.ts";

export type { DeadSelection };

/** The queues whose dead letters operators see: Fedify's (deliveries, received activities) and our events. */
export const DEAD_LETTER_QUEUES = ["fedify", EVENTS_QUEUE];

/** At most this many dead messages are listed at once; the counts cover them all. */
export const DEAD_LETTER_LIST_LIMIT = 500;

/** Who acts on dead letters: an instance administrator on the web, or the operator at the command line. */
export type DeadLetterOperator = Actor | "command line";

/** What a dead message was, read from its payload. */
export type DeadLetterKind = "delivery" | "received" | "fan-out" | "event" | "other";

/** A dead message, as an operator sees it. */
export interface DeadLetter {
  id: number;
  queue: string;
  /** The remote server it concerns; null for our own events and fan-outs. */
  origin: string | null;
  attempts: number;
  diedAt: number;
  createdAt: number;
  kind: DeadLetterKind;
  /** The activity's type ("Create", "Follow") or the event's ("post.published"), if known. */
  type: string | null;
  /** The activity's id, if known. */
  activityId: string | null;
  /** Where a delivery was going (its inbox), or who sent a received activity. */
  party: string | null;
}

/** The dead messages of one remote server (or, with origin null, of none). */
export interface DeadLetterGroup {
  origin: string | null;
  count: number;
  /** Those listed; fewer than `count` when the list is cut at DEAD_LETTER_LIST_LIMIT. */
  messages: DeadLetter[];
}

/**
 * Messages that failed too often wait in the dead queues until an operator
 * retries them (back to their queue, attempts reset, due now) or discards
 * them. Only instance administrators may look at or act on them.
 */
export class DeadLetterService {
  constructor(
    private readonly table: DeadLetterTable,
    private readonly now: () => number,
  ) {}

  /** Every origin with dead messages, most first, each with its messages listed (up to the limit overall). */
  async overview(by: DeadLetterOperator): Promise<DeadLetterGroup[]> {
    mayHandle(by);
    const [counts, listed] = await Promise.all([
      this.table.countDeadByOrigin(DEAD_LETTER_QUEUES),
      this.table.listDead(DEAD_LETTER_QUEUES, DEAD_LETTER_LIST_LIMIT),
    ]);
    const byOrigin = new Map<string | null, DeadLetter[]>();
    for (const letter of listed.map(describe)) {
      const group = byOrigin.get(letter.origin);
      if (group) group.push(letter);
      else byOrigin.set(letter.origin, [letter]);
    }
    return counts.map(({ origin, count }) => ({ origin, count, messages: byOrigin.get(origin) ?? [] }));
  }

  /** Puts the selected dead messages back on their queue, to be tried at once; how many went back. */
  async retry(by: DeadLetterOperator, selection: DeadSelection): Promise<number> {
    mayHandle(by);
    const moved = await this.table.retryDead(DEAD_LETTER_QUEUES, checked(selection), this.now());
    if (moved === 0 && "id" in selection) throw notFound(`There is no dead message ${selection.id}.`);
    return moved;
  }

  /** Deletes the selected dead messages for good; how many were deleted. */
  async discard(by: DeadLetterOperator, selection: DeadSelection): Promise<number> {
    mayHandle(by);
    const discarded = await this.table.discardDead(DEAD_LETTER_QUEUES, checked(selection));
    if (discarded === 0 && "id" in selection) throw notFound(`There is no dead message ${selection.id}.`);
    return discarded;
  }
}

function mayHandle(by: DeadLetterOperator) {
  if (by !== "command line" && !by.isAdmin) throw forbidden("Only the instance's administrators can handle failed messages.");
}

function checked(selection: DeadSelection): DeadSelection {
  if ("id" in selection && !(Number.isSafeInteger(selection.id) && selection.id > 0))
    throw invalid("A message's number is a positive whole number.");
  if ("origin" in selection && selection.origin !== null && !URL.canParse(selection.origin))
    throw invalid("A server is named by its origin, such as https://example.org.");
  return selection;
}

/** Reads what a dead message was from its payload: Fedify's delivery, received activity or fan-out, or one of our events. */
export function describe(message: DeadMessage): DeadLetter {
  const { id, queue, origin, attempts, diedAt, createdAt } = message;
  const letter: DeadLetter = { id, queue, origin, attempts, diedAt, createdAt, kind: "other", type: null, activityId: null, party: null };
  let payload: unknown;
  try {
    payload = JSON.parse(message.payload);
  } catch {
    return letter;
  }
  if (typeof payload !== "object" || payload === null) return letter;
  const p = payload as Record<string, unknown>;
  const activity = (typeof p.activity === "object" && p.activity !== null ? p.activity : {}) as Record<string, unknown>;
  if (queue === EVENTS_QUEUE) return { ...letter, kind: "event", type: text(p.type) };
  if (p.type === "outbox") {
    return {
      ...letter,
      kind: "delivery",
      type: text(p.activityType) ?? text(activity.type),
      activityId: text(p.activityId) ?? text(activity.id),
      party: text(p.inbox),
    };
  }
  if (p.type === "inbox") {
    const actor = typeof activity.actor === "object" && activity.actor !== null ? (activity.actor as { id?: unknown }).id : activity.actor;
    return { ...letter, kind: "received", type: text(activity.type), activityId: text(activity.id), party: text(actor) };
  }
  if (p.type === "fanout") return { ...letter, kind: "fan-out", type: text(p.activityType), activityId: text(p.activityId) };
  return letter;
}

const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
