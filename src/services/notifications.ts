import type { Clock } from "../domain/clock.ts";
import { invalid } from "../domain/errors.ts";
import { isNotificationKind, NOTIFICATION_KINDS, type NotificationKind } from "../domain/notifications.ts";
import type { Actor, RemoteActorInput } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import { actorsById } from "./names.ts";
import { describeGroups, groupNotifications, type NotificationEntry } from "./notification-text.ts";
import { notify } from "./notify.ts";

/** How many notifications the page reads; grouped, they make at most as many entries. */
const PAGE_ROWS = 200;
/** How many entries the page shows. */
const PAGE_ENTRIES = 50;

/** A person's choice of what also comes by email, and whether email can come at all. */
export interface NotificationSettings {
  emailKinds: NotificationKind[];
  /** The person's address; without one, nothing comes by email. */
  email: string | null;
  /** Whether this instance sends email. */
  emailOffered: boolean;
}

/**
 * What people here are told of. Notifications are recorded where what they
 * tell of happens, in the same unit of work (`notify.ts`); this service reads
 * them for the page and the header, marks them read when seen, keeps each
 * person's choice of what also comes by email, and takes mentions from
 * elsewhere. The hourly email digest is `notification-digest.ts`.
 */
export class NotificationService {
  constructor(
    private readonly store: Store,
    private readonly now: Clock,
    private readonly emailOffered: boolean,
  ) {}

  /**
   * The person's notifications, newest first, grouped (likes of one post
   * unread together are one entry), and those shown marked read: the page
   * says which were new. Four queries, however many there are.
   */
  async page(person: Actor): Promise<NotificationEntry[]> {
    const rows = await this.store.notifications.latest(person.id, PAGE_ROWS);
    const groups = groupNotifications(rows).slice(0, PAGE_ENTRIES);
    const shown = groups.flat();
    const postIds = [...new Set(shown.flatMap((row) => (row.postId ? [row.postId] : [])))];
    const [posts, locals] = await Promise.all([
      postIds.length === 0 ? [] : this.store.posts.findByIds(postIds),
      actorsById(
        this.store,
        shown.flatMap((row) => (row.actorId === null ? [] : [row.actorId])),
      ),
    ]);
    const unread = shown.filter((row) => row.readAt === null).map((row) => row.id);
    await this.store.notifications.markRead(person.id, unread, new Date(this.now()));
    const byId = new Map(posts.map((post) => [post.id, post]));
    return describeGroups(groups, byId, locals);
  }

  /** For the header: how many unread entries the person has (null for no one signed in). One query. */
  async unreadCount(person: Actor | null): Promise<number | null> {
    return person ? this.store.notifications.countUnread(person.id) : null;
  }

  async settings(person: Actor): Promise<NotificationSettings> {
    const [preferences, email] = await Promise.all([
      this.store.notifications.preferences(person.id),
      this.store.accounts.emailOf(person.id),
    ]);
    return { emailKinds: preferences?.emailKinds ?? [], email, emailOffered: this.emailOffered };
  }

  /** Which kinds the person also wants by email (the form's checked boxes). */
  async chooseEmailKinds(person: Actor, chosen: string[]): Promise<NotificationKind[]> {
    if (person.kind !== "person" || person.deactivatedAt) throw invalid("Only people with an active account get notifications.");
    if (!chosen.every(isNotificationKind)) throw invalid("Choose among the kinds listed.", { kinds: "not a kind of notification" });
    const kinds = NOTIFICATION_KINDS.filter((kind) => chosen.includes(kind));
    await this.store.notifications.setEmailKinds(person.id, kinds);
    return kinds;
  }

  /**
   * A post elsewhere mentions people here (by handle): each active person
   * is told once. One who is told of it already (as a reply to their post)
   * is not told again. How many were told.
   */
  async receiveMention(handles: string[], mention: { uri: string; url: string | null; author: RemoteActorInput }): Promise<number> {
    if (handles.length === 0) return 0;
    const found = (await this.store.actors.findByHandles(handles)).filter((a) => a.kind === "person" && !a.deactivatedAt);
    // Those already told of it (the author of the post it answers, most often) need no unit of work, which on SQLite waits its turn.
    const told = new Set(
      await this.store.notifications.toldOf(
        found.map((p) => p.id),
        mention.uri,
      ),
    );
    const people = found.filter((p) => !told.has(p.id));
    if (people.length === 0) return 0;
    const at = new Date(this.now());
    return this.store.transaction(async (tx) => {
      let told = 0;
      for (const person of people) {
        const recorded = await notify(tx, {
          recipient: person,
          kind: "mention",
          source: mention.uri,
          subjectUri: mention.uri,
          actor: { uri: mention.author.uri, name: mention.author.name ?? mention.author.handle, url: mention.author.url },
          details: mention.url ? { url: mention.url } : {},
          at,
        });
        if (recorded) told++;
      }
      return told;
    });
  }
}
