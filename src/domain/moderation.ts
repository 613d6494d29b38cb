/** What moderators did, as the moderation log keeps it. */
export type ModerationAction = "reply.hidden" | "reply.restored";

export const MODERATION_ACTIONS: readonly ModerationAction[] = ["reply.hidden", "reply.restored"];

export const isModerationAction = (value: string): value is ModerationAction => (MODERATION_ACTIONS as readonly string[]).includes(value);

/** One entry of the moderation log. Entries are only ever added, never changed. */
export interface ModerationEntry {
  id: number;
  at: Date;
  /** The person here who acted; null once their account is gone. */
  actorId: number | null;
  /** The community the subject belongs to; null for what is in none. */
  communityId: number | null;
  action: ModerationAction;
  /** What was acted on: a reply's URI. */
  subject: string;
  reason: string;
  /** Anything else worth keeping (the post the reply answers, the state it had). */
  details: Record<string, unknown>;
}

export type NewModerationEntry = Omit<ModerationEntry, "id">;

/** What the log can be narrowed to. */
export interface ModerationFilter {
  action?: ModerationAction;
  communityId?: number;
  actorId?: number;
  /** Entries about any of these subjects. */
  subjects?: string[];
}
