import type { Clock } from "../domain/clock.ts";
import type { Notification } from "../domain/notifications.ts";
import { absoluteUrl, NOTIFICATION_SETTINGS_PATH, NOTIFICATIONS_PATH } from "../domain/urls.ts";
import type { Store } from "../storage/repositories.ts";
import type { MailFailureHandler, Mailer, MailMessage } from "./mail.ts";
import { actorsById } from "./names.ts";
import { describeGroups, groupNotifications, type NotificationEntry } from "./notification-text.ts";

/** A person gets at most one digest in this time. */
export const DIGEST_INTERVAL_MS = 3_600_000;
/** At most this many notifications go in one message; the rest wait for the next. */
const DIGEST_ROWS = 100;

export interface DigestOptions {
  origin: string;
  instanceName: () => Promise<string>;
  onMailFailure: MailFailureHandler;
}

/**
 * The email digest of notifications: for each person who chose kinds to
 * come by email and gave an address, one message listing what is new of
 * those kinds (unread, not emailed before), at most once an hour. Without a
 * mailer nothing is sent, and nothing is marked.
 */
export class NotificationDigestService {
  constructor(
    private readonly store: Store,
    private readonly now: Clock,
    private readonly mailer: Mailer | null,
    private readonly options: DigestOptions,
  ) {}

  /** Sends the digests that are due; how many went. A worker runs it every few minutes. */
  async sendDue(): Promise<number> {
    if (!this.mailer) return 0;
    const at = new Date(this.now());
    const dueBefore = new Date(at.getTime() - DIGEST_INTERVAL_MS);
    let sent = 0;
    for (const recipient of await this.store.notifications.digestRecipients(dueBefore)) {
      const pending = await this.store.notifications.pendingDigest(recipient.personId, recipient.emailKinds, DIGEST_ROWS);
      if (pending.length === 0) continue;
      const entries = await this.entries(pending);
      // About posts deleted since: nothing to tell, and nothing to look at again.
      if (entries.length === 0) {
        await this.store.notifications.markEmailed(
          pending.map((row) => row.id),
          at,
        );
        continue;
      }
      // Taken before sending: a second worker, or a run overlapping this one, sends nothing more this hour.
      if (!(await this.store.notifications.claimDigest(recipient.personId, at, dueBefore))) continue;
      const message = digestMessage(recipient.email, await this.options.instanceName(), this.options.origin, entries);
      try {
        await this.mailer.send(message);
      } catch (error) {
        // Left unmarked: they go in the next digest, an hour on.
        this.options.onMailFailure(error, message);
        continue;
      }
      await this.store.notifications.markEmailed(
        pending.map((row) => row.id),
        at,
      );
      sent++;
    }
    return sent;
  }

  private async entries(rows: Notification[]): Promise<NotificationEntry[]> {
    const postIds = [...new Set(rows.flatMap((row) => (row.postId ? [row.postId] : [])))];
    const [posts, locals] = await Promise.all([
      postIds.length === 0 ? [] : this.store.posts.findByIds(postIds),
      actorsById(
        this.store,
        rows.flatMap((row) => (row.actorId === null ? [] : [row.actorId])),
      ),
    ]);
    const byId = new Map(posts.map((post) => [post.id, post]));
    return describeGroups(groupNotifications([...rows].reverse()), byId, locals);
  }
}

/** One message listing what is new, newest first, each with its link. */
export function digestMessage(to: string, instanceName: string, origin: string, entries: NotificationEntry[]): MailMessage {
  const lines = entries.map((entry) => `- ${entry.text}\n  ${absoluteUrl(origin, entry.href)}`);
  return {
    to,
    // Names from elsewhere are in it: kept to one line.
    subject: (entries.length === 1
      ? `${entries[0]!.text} – ${instanceName}`
      : `${entries.length} new notifications – ${instanceName}`
    ).replace(/\s+/g, " "),
    text: [
      `What is new for you on ${instanceName}:`,
      "",
      ...lines,
      "",
      `All your notifications: ${absoluteUrl(origin, NOTIFICATIONS_PATH)}`,
      `You get at most one email an hour. To choose what comes by email: ${absoluteUrl(origin, NOTIFICATION_SETTINGS_PATH)}`,
    ].join("\n"),
  };
}
