import type { Notification, NotificationKind } from "../domain/notifications.ts";
import type { OutcomeKind } from "../domain/outcomes.ts";
import type { Actor, Post, Role } from "../domain/types.ts";
import { actorPath, localPostPath, MEMBERSHIPS_PATH, notePath } from "../domain/urls.ts";
import { webUrl } from "../domain/web-url.ts";

/** Someone named in a notification, with where people see them. */
export interface NamedActor {
  name: string;
  url: string | null;
}

/** Notifications shown as one (likes of one post unread together), described. */
export interface NotificationEntry {
  kind: NotificationKind;
  /** Whether it was unread until now. */
  unread: boolean;
  /** The latest of the group. */
  at: Date;
  /** Who acted, each once, latest first. */
  actors: NamedActor[];
  /** One sentence: "3 people liked your weeknote “Bins”". */
  text: string;
  /** Where it leads: the post, the reply, the community, the invitation. */
  href: string;
  /** The notifications it stands for. */
  ids: number[];
}

const OUTCOME_WORDS: Record<OutcomeKind, string> = {
  acknowledged: "acknowledged and recorded",
  informed: "cited: it informed the decision",
  referred: "referred to others who can act on it",
  "not-used": "not used",
};

const ROLE_WORDS: Record<Role, string> = {
  admin: "an administrator",
  facilitator: "a facilitator",
  member: "a member",
  observer: "an observer",
};

/** "Ana", "Ana and Ben", "3 people". */
function who(actors: NamedActor[]): string {
  if (actors.length === 0) return "Someone";
  if (actors.length === 1) return actors[0]!.name;
  if (actors.length === 2) return `${actors[0]!.name} and ${actors[1]!.name}`;
  return `${actors.length} people`;
}

function yourPost(post: Post | undefined): string {
  if (!post) return "your post";
  if (post.kind === "note") return "your reply";
  const kind = post.kind === "decision" ? "decision record" : "weeknote";
  return post.title ? `your ${kind} “${post.title}”` : `your ${kind}`;
}

/**
 * Groups notifications, newest first, as they are shown: those with one
 * group key that are unread together, or were read together, are one entry.
 */
export function groupNotifications(rows: Notification[]): Notification[][] {
  const groups = new Map<string, Notification[]>();
  for (const row of rows) {
    const key = `${row.groupKey}\n${row.readAt?.getTime() ?? "unread"}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}

/** Who acted in a notification: someone here (by id) or elsewhere (as their server named them). */
export function actorOf(row: Notification, locals: Map<number, Actor>): NamedActor | null {
  if (row.actorId !== null) {
    const actor = locals.get(row.actorId);
    return actor ? { name: actor.displayName, url: actorPath(actor.handle) } : null;
  }
  if (row.actorUri === null) return null;
  const name = row.actorName || (URL.canParse(row.actorUri) ? new URL(row.actorUri).host : row.actorUri);
  // Addresses from elsewhere end up in links: only web addresses pass.
  return { name, url: webUrl(row.details.actorUrl, row.actorUri) };
}

/** A group of notifications in words, with where it leads. */
export function describeGroup(group: Notification[], posts: Map<string, Post>, locals: Map<number, Actor>): NotificationEntry {
  const first = group[0]!;
  const actors: NamedActor[] = [];
  for (const row of group) {
    const actor = actorOf(row, locals);
    if (actor && !actors.some((a) => a.name === actor.name && a.url === actor.url)) actors.push(actor);
  }
  const post = first.postId ? posts.get(first.postId) : undefined;
  const postHref = post ? localPostPath(post) : "/";
  const { details } = first;
  const community = details.title ?? (details.communityHandle ? `@${details.communityHandle}` : "a community");
  const role = details.role ? ` as ${ROLE_WORDS[details.role]}` : "";
  const described = ((): { text: string; href: string } => {
    switch (first.kind) {
      case "reply":
        // A reply written here has its own page; one from elsewhere is shown under the post.
        return {
          text: `${who(actors)} replied to ${yourPost(post)}`,
          href: first.subjectUri && first.actorId !== null ? first.subjectUri : postHref,
        };
      case "mention":
        return { text: `${who(actors)} mentioned you`, href: webUrl(details.url, first.subjectUri) ?? "/" };
      case "follow":
        return { text: `${who(actors)} followed ${community}`, href: actors[0]?.url ?? "/" };
      case "like":
        return { text: `${who(actors)} liked ${yourPost(post)}`, href: postHref };
      case "boost":
        return { text: `${who(actors)} boosted ${yourPost(post)}`, href: postHref };
      case "invitation":
        return { text: `${who(actors)} invited you to join${role}`, href: MEMBERSHIPS_PATH };
      case "membership":
        return {
          text: `${who(actors)} added you to ${community}${role}`,
          href: details.communityHandle ? actorPath(details.communityHandle) : "/",
        };
      case "outcome": {
        const record = details.title ? `“${details.title}”` : "a decision record";
        const outcome = details.outcome ? OUTCOME_WORDS[details.outcome] : "answered";
        return { text: `Your reply to ${record} was ${outcome}`, href: first.postId ? notePath(first.postId) : "/" };
      }
    }
  })();
  return {
    kind: first.kind,
    unread: first.readAt === null,
    at: first.createdAt,
    actors,
    ...described,
    ids: group.map((row) => row.id),
  };
}

/** Groups described, leaving out those about a post here that is no longer published (deleted since). */
export function describeGroups(groups: Notification[][], posts: Map<string, Post>, locals: Map<number, Actor>): NotificationEntry[] {
  return groups
    .filter((group) => {
      const postId = group[0]!.postId;
      return postId === null || posts.get(postId)?.state === "published";
    })
    .map((group) => describeGroup(group, posts, locals));
}
