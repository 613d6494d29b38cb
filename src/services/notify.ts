import { type NotificationDetails, type NotificationKind, notificationGroupKey } from "../domain/notifications.ts";
import type { Actor } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";

/** Who did what a notification tells of: a local actor by id, or an actor elsewhere as their server named them. */
export type Doer = { id: number } | { uri: string; name: string | null; url?: string | null };

export interface NotifyInput {
  /** The person told, or their id (anything but an active person here is told nothing). */
  recipient: number | Actor;
  kind: NotificationKind;
  /** What caused it: an activity's or object's id, told once per person. */
  source: string;
  postId?: string | null;
  subjectUri?: string | null;
  actor: Doer | null;
  details?: NotificationDetails;
  at: Date;
}

/**
 * Records a notification in the caller's unit of work, so it exists exactly
 * when what it tells of does. No one is told of their own doing, and only
 * active people are told anything. Whether it was recorded.
 */
export async function notify(tx: Store, input: NotifyInput): Promise<boolean> {
  const recipientId = typeof input.recipient === "number" ? input.recipient : input.recipient.id;
  const local = input.actor && "id" in input.actor ? input.actor.id : null;
  if (local === recipientId) return false;
  const recipient = typeof input.recipient === "number" ? await tx.actors.findById(input.recipient) : input.recipient;
  if (!recipient || recipient.kind !== "person" || recipient.deactivatedAt) return false;
  const remote = input.actor && "uri" in input.actor ? input.actor : null;
  const actorUrl = remote?.url ?? undefined;
  const postId = input.postId ?? null;
  return tx.notifications.add({
    recipientId,
    kind: input.kind,
    source: input.source,
    groupKey: notificationGroupKey(input.kind, postId, input.source),
    postId,
    subjectUri: input.subjectUri ?? null,
    actorId: local,
    actorUri: remote?.uri ?? null,
    actorName: remote?.name ?? null,
    details: { ...(actorUrl ? { actorUrl } : {}), ...input.details },
    createdAt: input.at,
  });
}
