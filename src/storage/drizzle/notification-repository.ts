import { and, asc, countDistinct, desc, eq, inArray, isNotNull, isNull, lte, or } from "drizzle-orm";
import type { Notification } from "../../domain/notifications.ts";
import type { NotificationRepository } from "../repositories.ts";
import { placeholdersFor, prepared, shapeOf } from "./prepared.ts";
import type { Unit } from "./unit.ts";

/** Notifications and each person's choice of which come by email. */
export function notificationRepository(unit: Unit): NotificationRepository {
  const { db } = unit;
  const { notifications, notificationSettings, actors } = unit.tables;

  return {
    async add(notification) {
      const values = { ...notification, createdAt: notification.createdAt.getTime() };
      // Replies, likes and follows from elsewhere each notify someone: prepared, for each set of fields given.
      const added = await unit.write((db) =>
        prepared(db, `notification_add:${shapeOf(values)}`, (db, name) =>
          db
            .insert(notifications)
            .values(placeholdersFor(values))
            .onConflictDoNothing({ target: [notifications.recipientId, notifications.source] })
            .returning({ id: notifications.id })
            .prepare(name),
        ).execute(values),
      );
      return added.length > 0;
    },

    async toldOf(recipientIds, source) {
      if (recipientIds.length === 0) return [];
      const rows = await db
        .select({ id: notifications.recipientId })
        .from(notifications)
        .where(and(inArray(notifications.recipientId, recipientIds), eq(notifications.source, source)));
      return rows.map((row) => row.id);
    },

    async latest(recipientId, limit) {
      const rows = await db
        .select()
        .from(notifications)
        .where(eq(notifications.recipientId, recipientId))
        .orderBy(desc(notifications.createdAt), desc(notifications.id))
        .limit(limit);
      return rows.map(toNotification);
    },

    async markRead(recipientId, ids, at) {
      if (ids.length === 0) return;
      await unit.write((db) =>
        db
          .update(notifications)
          .set({ readAt: at.getTime() })
          .where(and(eq(notifications.recipientId, recipientId), inArray(notifications.id, ids), isNull(notifications.readAt))),
      );
    },

    async countUnread(recipientId) {
      const [row] = await db
        .select({ n: countDistinct(notifications.groupKey) })
        .from(notifications)
        .where(and(eq(notifications.recipientId, recipientId), isNull(notifications.readAt)));
      return row?.n ?? 0;
    },

    async preferences(personId) {
      const [row] = await db.select().from(notificationSettings).where(eq(notificationSettings.personId, personId));
      return row ? { emailKinds: row.emailKinds, lastDigestAt: row.lastDigestAt === null ? null : new Date(row.lastDigestAt) } : null;
    },

    async setEmailKinds(personId, kinds) {
      await unit.write((db) =>
        db
          .insert(notificationSettings)
          .values({ personId, emailKinds: kinds })
          .onConflictDoUpdate({ target: notificationSettings.personId, set: { emailKinds: kinds } }),
      );
    },

    async digestRecipients(dueBefore) {
      const rows = await db
        .select({ personId: notificationSettings.personId, email: actors.email, emailKinds: notificationSettings.emailKinds })
        .from(notificationSettings)
        .innerJoin(actors, eq(actors.id, notificationSettings.personId))
        .where(
          and(
            isNotNull(actors.email),
            isNull(actors.deactivatedAt),
            or(isNull(notificationSettings.lastDigestAt), lte(notificationSettings.lastDigestAt, dueBefore.getTime())),
          ),
        )
        .orderBy(asc(notificationSettings.personId));
      // Whether any kinds were chosen is read here: JSON is compared differently by each database.
      return rows.flatMap((row) => (row.email && row.emailKinds.length > 0 ? [{ ...row, email: row.email }] : []));
    },

    async pendingDigest(personId, kinds, limit) {
      if (kinds.length === 0) return [];
      const rows = await db
        .select()
        .from(notifications)
        .where(
          and(
            eq(notifications.recipientId, personId),
            isNull(notifications.readAt),
            isNull(notifications.emailedAt),
            inArray(notifications.kind, kinds),
          ),
        )
        .orderBy(asc(notifications.createdAt), asc(notifications.id))
        .limit(limit);
      return rows.map(toNotification);
    },

    async claimDigest(personId, at, dueBefore) {
      const claimed = await unit.write((db) =>
        db
          .update(notificationSettings)
          .set({ lastDigestAt: at.getTime() })
          .where(
            and(
              eq(notificationSettings.personId, personId),
              or(isNull(notificationSettings.lastDigestAt), lte(notificationSettings.lastDigestAt, dueBefore.getTime())),
            ),
          )
          .returning({ personId: notificationSettings.personId }),
      );
      return claimed.length > 0;
    },

    async markEmailed(ids, at) {
      if (ids.length === 0) return;
      await unit.write((db) => db.update(notifications).set({ emailedAt: at.getTime() }).where(inArray(notifications.id, ids)));
    },
  };
}

type Row = Omit<Notification, "createdAt" | "readAt" | "emailedAt"> & {
  createdAt: number;
  readAt: number | null;
  emailedAt: number | null;
};

function toNotification(row: Row): Notification {
  return {
    ...row,
    createdAt: new Date(row.createdAt),
    readAt: row.readAt === null ? null : new Date(row.readAt),
    emailedAt: row.emailedAt === null ? null : new Date(row.emailedAt),
  };
}
