/** The longest reason a moderator may give, for anything. */
export const MAX_MODERATION_REASON = 500;

/** What moderators did, as the moderation log keeps it. */
export type ModerationAction =
  | "reply.hidden"
  | "reply.restored"
  | "domain.blocked"
  | "domain.unblocked"
  | "domain.allowed"
  | "domain.disallowed"
  | "account.blocked"
  | "account.unblocked"
  | "report.resolved"
  | "report.dismissed"
  | "report.forwarded"
  | "reply.approved"
  | "reply.refused"
  | "community.reply-policy"
  | "community.account-blocked"
  | "community.account-unblocked";

export const MODERATION_ACTIONS: readonly ModerationAction[] = [
  "reply.hidden",
  "reply.restored",
  "domain.blocked",
  "domain.unblocked",
  "domain.allowed",
  "domain.disallowed",
  "account.blocked",
  "account.unblocked",
  "report.resolved",
  "report.dismissed",
  "report.forwarded",
  "reply.approved",
  "reply.refused",
  "community.reply-policy",
  "community.account-blocked",
  "community.account-unblocked",
];

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
  /** What was acted on: a reply's URI, or a blocked domain. */
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

/** A domain whose servers the instance refuses: nothing is taken from them, or sent to them. */
export interface DomainBlock {
  /** Lower case, with a port only if it is not the scheme's own; blocking a domain blocks its subdomains too. */
  domain: string;
  /** Why, shown to anyone on the public list. */
  reason: string;
  createdAt: Date;
  /** The administrator who blocked it; null from the command line, or once their account is gone. */
  createdBy: number | null;
}

/** An account elsewhere the instance refuses: nothing is taken from it, or sent to it. */
export interface AccountBlock {
  /** The account's actor URI. */
  uri: string;
  /** Why; published with the account's server (not its name), and in the moderation log. */
  reason: string;
  createdAt: Date;
  /** The administrator who blocked it; null from the command line, or once their account is gone. */
  createdBy: number | null;
}

/** A domain an instance in allow-list mode deals with, with its subdomains. */
export interface AllowedDomain {
  /** Normalised as a blocked domain is. */
  domain: string;
  /** Who they are, shown on the public list. */
  note: string;
  createdAt: Date;
  /** The administrator who listed it; null from the command line, or once their account is gone. */
  createdBy: number | null;
}
