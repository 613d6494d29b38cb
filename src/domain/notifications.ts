import type { OutcomeKind } from "./outcomes.ts";
import type { Role } from "./types.ts";

/**
 * What a person here is told of: replies to what they wrote, mentions of
 * them elsewhere, new followers of communities they administer, likes and
 * boosts of their posts, invitations to communities (elsewhere, or added
 * here), and what became of their replies to decision records.
 */
export const NOTIFICATION_KINDS = ["reply", "mention", "follow", "like", "boost", "invitation", "membership", "outcome"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** How each kind is named where a person chooses which come by email. */
export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  reply: "Replies to your posts and replies",
  mention: "Mentions of you elsewhere",
  follow: "New followers of communities you administer",
  like: "Likes of your posts",
  boost: "Boosts of your posts",
  invitation: "Invitations to communities elsewhere",
  membership: "Being added to a community here",
  outcome: "What became of your replies to decision records",
};

export function isNotificationKind(value: unknown): value is NotificationKind {
  return typeof value === "string" && (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

/** What a notification needs besides its columns, as it was when it happened (names change; the notification tells of then). */
export interface NotificationDetails {
  /** A record's title (outcomes from elsewhere), or a community's name (followers, invitations, memberships). */
  title?: string;
  /** A community here, by handle: the one followed, or the one the person was added to. */
  communityHandle?: string;
  /** Where people see what it is about elsewhere (the post that mentioned the person). */
  url?: string;
  /** Where people see the one who acted, when they are elsewhere. */
  actorUrl?: string;
  outcome?: OutcomeKind;
  role?: Role;
}

/** One thing to tell a person, as recorded in the unit of work of what caused it. */
export interface NewNotification {
  recipientId: number;
  kind: NotificationKind;
  /**
   * What caused it (an activity's or object's id): a person is told of each
   * cause once, so a delivery repeated, or a reply that also mentions them,
   * tells them once.
   */
  source: string;
  /** Notifications with the same key are shown as one while unread together (the likes of one post). */
  groupKey: string;
  /** The post here it is about (the one replied to, liked, boosted; the reply whose outcome it tells). */
  postId: string | null;
  /** What it is about elsewhere: the mentioning post, the inviting community, the answering note. */
  subjectUri: string | null;
  /** Who acted, when they are here. */
  actorId: number | null;
  /** Who acted, when they are elsewhere: their actor URI and the name their server gave. */
  actorUri: string | null;
  actorName: string | null;
  details: NotificationDetails;
  createdAt: Date;
}

export interface Notification extends NewNotification {
  id: number;
  readAt: Date | null;
  emailedAt: Date | null;
}

/** The group key of likes or boosts of one post; every other notification is a group of its own. */
export function notificationGroupKey(kind: NotificationKind, postId: string | null, source: string): string {
  return (kind === "like" || kind === "boost") && postId ? `${kind}:${postId}` : `${kind}:${source}`;
}

/** Which kinds a person also wants by email, and when their last digest went. */
export interface NotificationPreferences {
  emailKinds: NotificationKind[];
  lastDigestAt: Date | null;
}

/** Someone who may be sent a digest: they chose kinds by email, gave an address, and had none in the last hour. */
export interface DigestRecipient {
  personId: number;
  email: string;
  emailKinds: NotificationKind[];
}
