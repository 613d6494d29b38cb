import { asc, eq, inArray, like, or, sql } from "drizzle-orm";
import { isOnDomain } from "../../domain/domains.ts";
import type { DomainBlock } from "../../domain/moderation.ts";
import type { DomainBlockRepository } from "../repositories.ts";
import { prepared } from "./prepared.ts";
import type { Unit } from "./unit.ts";

/** Domains the instance refuses, and the follows a block ends. */
export function domainBlockRepository(unit: Unit): DomainBlockRepository {
  const { db } = unit;
  const { allowedDomains, blockedDomains, followers, remoteActors } = unit.tables;

  return {
    async put(block) {
      const values = { domain: block.domain, reason: block.reason, createdAt: block.createdAt.getTime(), createdBy: block.createdBy };
      const added = await unit.write((db) =>
        db.insert(blockedDomains).values(values).onConflictDoNothing().returning({ domain: blockedDomains.domain }),
      );
      if (added.length > 0) return true;
      await unit.write((db) => db.update(blockedDomains).set({ reason: block.reason }).where(eq(blockedDomains.domain, block.domain)));
      return false;
    },

    async remove(domain) {
      const removed = await unit.write((db) =>
        db.delete(blockedDomains).where(eq(blockedDomains.domain, domain)).returning({ domain: blockedDomains.domain }),
      );
      return removed.length > 0;
    },

    async find(domain) {
      const [row] = await db.select().from(blockedDomains).where(eq(blockedDomains.domain, domain));
      return row ? toBlock(row) : null;
    },

    async list() {
      const rows = await db.select().from(blockedDomains).orderBy(asc(blockedDomains.domain));
      return rows.map(toBlock);
    },

    async blockedAmong(domains) {
      if (domains.length === 0) return [];
      // Asked for every activity that arrives (a host and its parent domains).
      const query = prepared(db, "blocked_domains_among", (db, name) =>
        db
          .select({ domain: blockedDomains.domain })
          .from(blockedDomains)
          .where(unit.dialect.inListParameter(blockedDomains.domain, sql.placeholder("domains")))
          .prepare(name),
      );
      const rows = await query.execute({ domains: unit.dialect.listParameter(domains) });
      return rows.map((r) => r.domain);
    },

    async removeFollowersOn(domain) {
      // LIKE narrows the rows down (it may take a few too many); the host is then compared exactly.
      const candidates = await db
        .select({ id: remoteActors.id, uri: remoteActors.uri })
        .from(remoteActors)
        .where(
          or(like(remoteActors.uri, `%://${domain}/%`), like(remoteActors.uri, `%://${domain}:%`), like(remoteActors.uri, `%.${domain}%`)),
        );
      const ids = candidates.filter((actor) => isOnDomain(actor.uri, domain)).map((actor) => actor.id);
      if (ids.length === 0) return 0;
      const removed = await unit.write((db) =>
        db.delete(followers).where(inArray(followers.remoteActorId, ids)).returning({ actorId: followers.actorId }),
      );
      return removed.length;
    },

    async allow(entry) {
      const values = { domain: entry.domain, note: entry.note, createdAt: entry.createdAt.getTime(), createdBy: entry.createdBy };
      const added = await unit.write((db) =>
        db.insert(allowedDomains).values(values).onConflictDoNothing().returning({ domain: allowedDomains.domain }),
      );
      if (added.length > 0) return true;
      await unit.write((db) => db.update(allowedDomains).set({ note: entry.note }).where(eq(allowedDomains.domain, entry.domain)));
      return false;
    },

    async disallow(domain) {
      const removed = await unit.write((db) =>
        db.delete(allowedDomains).where(eq(allowedDomains.domain, domain)).returning({ domain: allowedDomains.domain }),
      );
      return removed.length > 0;
    },

    async listAllowed() {
      const rows = await db.select().from(allowedDomains).orderBy(asc(allowedDomains.domain));
      return rows.map((row) => ({ domain: row.domain, note: row.note, createdAt: new Date(row.createdAt), createdBy: row.createdBy }));
    },

    async allowedAmong(domains) {
      if (domains.length === 0) return [];
      const rows = await db.select({ domain: allowedDomains.domain }).from(allowedDomains).where(inArray(allowedDomains.domain, domains));
      return rows.map((r) => r.domain);
    },
  };
}

function toBlock(row: { domain: string; reason: string; createdAt: number; createdBy: number | null }): DomainBlock {
  return { domain: row.domain, reason: row.reason, createdAt: new Date(row.createdAt), createdBy: row.createdBy };
}
