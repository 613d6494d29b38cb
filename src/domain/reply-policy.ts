/**
 * Who may reply to a community's posts and decision records, and how.
 *
 * - `open`: anyone; replies appear at once.
 * - `newcomers`: replies from people who have not taken part here before
 *   (not members, no reply shown here yet) wait for a moderator's approval.
 *   New communities start with this.
 * - `followers`: only the community's followers and members; others are refused.
 * - `closed`: no replies from anyone but the post's author.
 */
export type ReplyPolicy = "open" | "newcomers" | "followers" | "closed";
export const REPLY_POLICIES = ["open", "newcomers", "followers", "closed"] as const satisfies readonly ReplyPolicy[];

/** What a community starts with. */
export const DEFAULT_COMMUNITY_REPLY_POLICY: ReplyPolicy = "newcomers";

export const isReplyPolicy = (value: string): value is ReplyPolicy => (REPLY_POLICIES as readonly string[]).includes(value);

/** The policy's name, as moderators choose it. */
export const REPLY_POLICY_LABELS: Record<ReplyPolicy, string> = {
  open: "Open: anyone may reply",
  newcomers: "Held for newcomers: replies from people new to this community wait for approval",
  followers: "Followers and members only",
  closed: "Closed: no replies",
};

/** What readers are told under a post about replying. */
export const REPLY_POLICY_NOTICES: Record<ReplyPolicy, string | null> = {
  open: null,
  newcomers: "Replies from people new to this community are held until a moderator approves them.",
  followers: "Only this community's followers and members may reply.",
  closed: "Replies are closed.",
};

/** What happens to a reply: shown at once, held for a moderator, or refused. */
export type ReplyOutcome = "accept" | "hold" | "refuse";

/** What is known of the person replying, relative to the community. */
export interface Replier {
  /** A moderator of the community blocked them from it. */
  blocked: boolean;
  /** A member of the community, here or elsewhere. */
  isMember: boolean;
  /** Follows the community. */
  isFollower: boolean;
  /** Has a reply shown on one of the community's posts, or a post in it. */
  hasTakenPart: boolean;
  /** Answers a reply that is itself still held: it waits with it. */
  answersHeldReply: boolean;
}

/** Decides what becomes of a reply under a community's policy. */
export function replyOutcome(policy: ReplyPolicy, replier: Replier): ReplyOutcome {
  if (replier.blocked) return "refuse";
  let outcome: ReplyOutcome;
  switch (policy) {
    case "open":
      outcome = "accept";
      break;
    case "newcomers":
      outcome = replier.isMember || replier.hasTakenPart ? "accept" : "hold";
      break;
    case "followers":
      outcome = replier.isMember || replier.isFollower ? "accept" : "refuse";
      break;
    case "closed":
      outcome = "refuse";
      break;
  }
  return outcome === "accept" && replier.answersHeldReply ? "hold" : outcome;
}

/**
 * Whether a person here may reply to a community's post: people here are
 * the instance's own, so only "followers" (its members) and "closed" (no
 * one) limit them; a post's author and those who moderate may always.
 */
export function mayReplyHere(policy: ReplyPolicy, person: { isPostAuthor: boolean; isMember: boolean; moderates: boolean }): boolean {
  if (person.isPostAuthor || person.moderates) return true;
  if (policy === "followers") return person.isMember;
  return policy !== "closed";
}
